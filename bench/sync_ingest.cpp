// Sync throughput on loopback, client and server in one process on the same cores:
//   ingest:   N posts upload their backlogs to one central office in parallel (records/s stored)
//   catch-up: one post with a large backlog uploads it all (seconds)
// Every record is real: signed by its post, sent over TLS 1.3 with client certificates, verified
// and stored durably by the receiver.
//   bench_sync [--stations N] [--records M] [--backlog B] [--batch S] [--postgresql URI]
// Without --postgresql the central office stores into SQLite files in a temporary directory.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sync/central_store.hpp"
#include "sync/outbox.hpp"
#include "sync/pki.hpp"
#include "sync/receiver.hpp"
#include "sync/server.hpp"
#include "sync/sqlite.hpp"
#include "sync/uploader.hpp"

namespace fs = std::filesystem;
using namespace borderpost::sync;
using Clock = std::chrono::steady_clock;

namespace {

Movement movement(std::mt19937& rng) {
  Movement m;
  m.direction = rng() % 2 ? "entry" : "exit";
  std::string number = "P";
  number.append(std::to_string(10000000 + rng() % 89999999));
  m.document = {"TD3", "P", "PER", number, "2031-04-15"};
  std::string birth = "1980-0";
  birth.append(std::to_string(1 + rng() % 9)).append("-15");
  m.traveller = {"QUISPE MAMANI", "ANA MARIA", "PER", birth, rng() % 2 ? "F" : "M"};
  m.decision = "admit";
  m.inspector = "insp-007";
  m.checks = {"pass", 6, 0, 0, 1};
  return m;
}

struct Post {
  std::string id, dir, db;
};

void fill(const Post& post, int count, std::uint32_t seed) {
  sqlite::Connection db(post.db);
  Outbox outbox(db.get(), post.id, SigningKey::load(post.dir + "/signing.key"));
  std::mt19937 rng(seed);
  const auto at = now();
  for (int done = 0; done < count;) {
    sqlite::Transaction t(db.get());
    for (int i = 0; i < 5000 && done < count; ++i, ++done) outbox.append(movement(rng), at);
    t.commit();
  }
}

UploadReport upload(const Post& post, unsigned short port, std::size_t batch) {
  sqlite::Connection db(post.db);
  Outbox outbox(db.get(), post.id, SigningKey::load(post.dir + "/signing.key"));
  UploaderConfig c;
  c.port = std::to_string(port);
  c.server_name = "localhost";
  c.ca_cert = post.dir + "/ca.crt";
  c.cert = post.dir + "/station.crt";
  c.key = post.dir + "/station.key";
  c.signing_cert = post.dir + "/signing.crt";
  c.batch_size = batch;
  return Uploader(c, outbox).upload();
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
  int stations = 100, records = 2000, backlog = 1'000'000;
  std::size_t batch = 2000;
  std::string postgresql;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--stations") stations = std::stoi(argv[i + 1]);
    else if (flag == "--records") records = std::stoi(argv[i + 1]);
    else if (flag == "--backlog") backlog = std::stoi(argv[i + 1]);
    else if (flag == "--batch") batch = std::stoul(argv[i + 1]);
    else if (flag == "--postgresql") postgresql = argv[i + 1];
    else {
      std::cerr << "usage: bench_sync [--stations N] [--records M] [--backlog B] [--batch S] [--postgresql URI]\n";
      return 2;
    }
  }
  const fs::path dir = fs::temp_directory_path() / ("bench-sync-" + random_uuid());
  fs::create_directories(dir);
  const auto ca = (dir / "ca").string();
  pki::create_authority(ca, "Bench CA", 30);
  pki::issue_server(ca, (dir / "central").string(), {"localhost"}, 30);

  auto run_central = [&](const std::string& name, auto body) {
    auto store = postgresql.empty() ? open_sqlite_store((dir / (name + ".db")).string()) : open_postgresql_store(postgresql, 8);
    Trust trust(ca + "/ca.crt", ca + "/crl.pem");
    Receiver receiver(*store, trust);
    CentralServer server({"127.0.0.1", 0, (dir / "central/server.crt").string(), (dir / "central/server.key").string(),
                          ca + "/ca.crt", ca + "/crl.pem", 2},
                         receiver, trust);
    server.start();
    body(server.port(), *store);
    server.stop();
  };

  const char* backend = postgresql.empty() ? "SQLite" : "PostgreSQL";
  if (stations > 0 && records > 0) {
    std::vector<Post> posts;
    for (int s = 0; s < stations; ++s) {
      char id[32];
      std::snprintf(id, sizeof id, "PE-POST-%03d", s + 1);
      const auto post_dir = (dir / id).string();
      pki::issue_station(ca, post_dir, id, 30);
      posts.push_back({id, post_dir, post_dir + "/post.db"});
    }
    std::fprintf(stderr, "bench_sync: recording %d x %d movements...\n", stations, records);
    {
      std::vector<std::thread> fillers;
      for (int t = 0; t < 2; ++t)
        fillers.emplace_back([&, t] {
          for (int s = t; s < stations; s += 2) fill(posts[static_cast<std::size_t>(s)], records, static_cast<std::uint32_t>(s));
        });
      for (auto& f : fillers) f.join();
    }
    run_central("ingest", [&](unsigned short port, CentralStore& store) {
      const auto start = Clock::now();
      std::vector<std::thread> uploaders;
      std::vector<UploadReport> reports(posts.size());
      for (std::size_t s = 0; s < posts.size(); ++s)
        uploaders.emplace_back([&, s] { reports[s] = upload(posts[s], port, std::min<std::size_t>(batch, 500)); });
      for (auto& u : uploaders) u.join();
      const double elapsed = seconds_since(start);
      std::uint64_t stored = store.record_count();
      int failed = 0;
      for (const auto& r : reports) failed += !r.error.empty();
      std::printf("| ingest, %d posts in parallel, %s store | %llu records in %.1f s | **%.0f records/s** | %d failed uploads |\n",
                  stations, backend, static_cast<unsigned long long>(stored), elapsed, static_cast<double>(stored) / elapsed, failed);
    });
  }

  if (backlog > 0) {
    const Post post{"PE-BACKLOG-01", (dir / "PE-BACKLOG-01").string(), (dir / "PE-BACKLOG-01/post.db").string()};
    pki::issue_station(ca, post.dir, post.id, 30);
    std::fprintf(stderr, "bench_sync: recording a backlog of %d movements...\n", backlog);
    fill(post, backlog, 99);
    run_central("catchup", [&](unsigned short port, CentralStore& store) {
      const auto start = Clock::now();
      const auto report = upload(post, port, batch);
      const double elapsed = seconds_since(start);
      const auto stored = store.head(post.id).seq;
      std::printf("| catch-up, one post, backlog %d, batches of %zu, %s store | %llu records in **%.1f s** | %.0f records/s | %s |\n",
                  backlog, batch, backend, static_cast<unsigned long long>(stored), elapsed, static_cast<double>(stored) / elapsed,
                  report.error.empty() ? "ok" : report.error.c_str());
    });
  }
  fs::remove_all(dir);
  return 0;
}
