// The sync tools as an operator uses them: `borderpost pki`, `borderpost sync`, `borderpost-central`.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "temp_dir.hpp"
#include "sync_tools.hpp"

using namespace borderpost::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json run_json(const std::vector<std::string>& args, int expected_exit = 0) {
  const auto r = run_process(kBorderpost, args);
  INFO("borderpost ", args.at(0), " ", args.at(1), ": ", r.err);
  REQUIRE(r.exit_code == expected_exit);
  return json::parse(r.out);
}

// A directorate with a CA, a central office on a free port and one post's credentials.
struct Deployment {
  const TempDir w{"e2e-sync"};
  std::unique_ptr<BackgroundProcess> central;
  std::string port;
  Deployment() {
    set_up_directorate(w.path.string());
    start_central();
  }
  void start_central() {
    central = std::make_unique<BackgroundProcess>(kCentral, std::vector<std::string>{"--config", w / "central.toml"}, w.path.string());
    port = central->wait_for_line("listening on port ");
  }
  std::vector<std::string> post(const std::string& command) const {
    return {"sync", command, "--db", w / "post.db", "--station", "PE-TUMBES-01", "--credentials", w / "post"};
  }
  std::vector<std::string> push() const {
    auto args = post("push");
    args.insert(args.end(), {"--central", "127.0.0.1:" + port, "--json"});
    return args;
  }
};

}  // namespace

TEST_CASE("a post's records reach the central office once, and both sides report it") {
  Deployment d;
  auto produce = d.post("produce");
  produce.insert(produce.end(), {"--count", "1200"});
  borderpost_ok(produce);
  CHECK(run_json([&] { auto a = d.post("status"); a.push_back("--json"); return a; }())["pending"] == 1200);
  const auto pushed = run_json(d.push());
  CHECK(pushed["accepted"] == 1200);
  CHECK(pushed["stored_through"] == 1200);
  CHECK(pushed["pending"] == 0);
  CHECK(pushed["batches"] == 3);
  const auto status = run_json({"central", "status", "--config", d.w / "central.toml", "--json"});
  CHECK(status["records"] == 1200);
  CHECK(status["stations"][0]["station"] == "PE-TUMBES-01");
  CHECK(status["stations"][0]["last_seq"] == 1200);
  CHECK(status["stations"][0]["reported_head"] == 1200);  // the post said how far it is
  CHECK(status["stations"][0]["backlog"] == 0);
  CHECK(status["alerts"].empty());
  CHECK(run_json(d.push())["batches"] == 0);
  const auto report = run_json({"central", "report", "--config", d.w / "central.toml", "--from", "2000-01-01", "--to",
                                "2100-12-31", "--format", "json"});
  CHECK(report["total"] == 1200);
  const auto csv = run_process(kBorderpost, {"central", "report", "--config", d.w / "central.toml", "--from", "2000-01-01",
                                              "--to", "2100-12-31", "--post", "PE-TUMBES-01"});
  CHECK(csv.out.rfind("station,day,direction,nationality,sex,age_band,crossings\n", 0) == 0);
  const auto bad =
      run_process(kBorderpost, {"central", "report", "--config", d.w / "central.toml", "--from", "yesterday", "--to", "2100-12-31"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("YYYY-MM-DD") != std::string::npos);
  CHECK(d.central->stop() == 0);  // SIGTERM: a clean stop
}

TEST_CASE("records wait while the central office is down and go once it is back") {
  Deployment d;
  d.central->stop();
  auto produce = d.post("produce");
  produce.insert(produce.end(), {"--count", "10"});
  borderpost_ok(produce);
  const auto failed = run_json(d.push(), 1);
  CHECK(failed["pending"] == 10);
  CHECK_FALSE(failed["error"].get<std::string>().empty());
  d.start_central();
  CHECK(run_json(d.push())["accepted"] == 10);
}

TEST_CASE("a revoked post is refused and its records stay queued") {
  Deployment d;
  borderpost_ok({"pki", "revoke", "--ca", d.w / "ca", "--id", "PE-TUMBES-01"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto produce = d.post("produce");
  produce.insert(produce.end(), {"--count", "3"});
  borderpost_ok(produce);
  const auto refused = run_json(d.push(), 1);
  CHECK(refused["pending"] == 3);
  CHECK(run_json({"central", "status", "--config", d.w / "central.toml", "--json"})["records"] == 0);
}

TEST_CASE("configuration mistakes stop the central office with the file, key and reason") {
  const TempDir w("e2e-sync");
  std::ofstream(w / "bad.toml") << "[listen]\nport = \"eighty\"\n";
  const auto wrong_type = run_process(kCentral, {"--config", w / "bad.toml"});
  CHECK(wrong_type.exit_code == 1);
  CHECK(wrong_type.err.find("listen.port has the wrong type") != std::string::npos);
  std::ofstream(w / "missing.toml") << "[listen]\nport = 8443\n";
  CHECK(run_process(kCentral, {"--config", w / "missing.toml"}).err.find("tls.certificate is required") != std::string::npos);
  std::ofstream(w / "syntax.toml") << "[listen\n";
  CHECK(run_process(kCentral, {"--config", w / "syntax.toml"}).err.find("syntax.toml:1") != std::string::npos);
}

TEST_CASE("a watch-list change reaches the post with its next push and stays there offline") {
  Deployment d;
  const auto config = d.w / "central.toml";
  const auto added = run_process(kBorderpost, {"central", "watchlist", "add", "--config", config, "--document", "L898902C3",
                                                "--issuer", "UTO", "--reason", "reported stolen"});
  INFO(added.err);
  REQUIRE(added.exit_code == 0);
  CHECK(added.out.find("(watch-list version 1)") != std::string::npos);
  borderpost_ok({"central", "watchlist", "add", "--config", config, "--surname", "QUISPE MAMANI", "--given-names", "ANA",
                 "--birth-date", "1990-02-03", "--nationality", "PER", "--reason", "court order"});
  const auto bad =
      run_process(kBorderpost, {"central", "watchlist", "add", "--config", config, "--document", "l-898", "--reason", "x"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("document number must be 1-24 characters") != std::string::npos);
  const auto listed = run_json({"central", "watchlist", "list", "--config", config, "--json"});
  REQUIRE(listed.size() == 2);

  borderpost_ok([&] { auto a = d.post("produce"); a.insert(a.end(), {"--count", "3"}); return a; }());
  auto pushed = run_json(d.push());
  CHECK(pushed["accepted"] == 3);
  CHECK(pushed["watchlist_changes"] == 2);
  CHECK(pushed["watchlist_version"] == 2);

  borderpost_ok({"central", "watchlist", "remove", "--config", config, "--id", listed[0]["id"].get<std::string>()});
  const auto unknown = run_process(kBorderpost, {"central", "watchlist", "remove", "--config", config, "--id", "no-such-id"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("no watch-list entry has the id no-such-id") != std::string::npos);
  pushed = run_json(d.push());
  CHECK(pushed["watchlist_changes"] == 1);

  d.central.reset();  // the link is down: the post keeps its copy
  const auto status = run_json([&] { auto a = d.post("status"); a.push_back("--json"); return a; }());
  CHECK(status["watchlist_version"] == 3);
  CHECK(status["watchlist_entries"] == 1);
}

TEST_CASE("the central office runs on PostgreSQL with the same tools") {
  const char* cluster = std::getenv("BORDERPOST_TEST_POSTGRESQL");
  REQUIRE_MESSAGE(cluster, "run through ctest, which starts the PostgreSQL cluster");
  const TempDir w("e2e-sync");
  set_up_directorate(w.path.string());
  const std::string schema = "e2e_" + std::to_string(std::random_device{}());
  const auto created = run_process("/usr/bin/psql", {cluster, "-q", "-c", "CREATE SCHEMA " + schema});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  std::ofstream(w / "central.toml", std::ios::app)
      << "backend = \"postgresql\"\npostgresql = \"" << cluster << "&options=-csearch_path%3D" << schema << "\"\n";
  BackgroundProcess central(kCentral, {"--config", w / "central.toml"}, w.path.string());
  const auto port = central.wait_for_line("listening on port ");
  const std::vector<std::string> post = {"--db", w / "post.db", "--station", "PE-TUMBES-01", "--credentials", w / "post"};
  auto with_post = [&](std::vector<std::string> args) {
    args.insert(args.begin() + 2, post.begin(), post.end());
    return args;
  };
  borderpost_ok(with_post({"sync", "produce", "--count", "700"}));
  borderpost_ok({"central", "watchlist", "add", "--config", w / "central.toml", "--document", "P1234567", "--reason", "lost"});
  const auto pushed = run_json(with_post({"sync", "push", "--central", "127.0.0.1:" + port, "--json"}));
  CHECK(pushed["accepted"] == 700);
  CHECK(pushed["watchlist_version"] == 1);
  const auto status = run_json({"central", "status", "--config", w / "central.toml", "--json"});
  CHECK(status["records"] == 700);
  CHECK(status["stations"][0]["last_seq"] == 700);
  const auto verified = run_json({"central", "verify", "--config", w / "central.toml", "--json"});
  CHECK(verified["records"] == 700);
  CHECK(verified["problems"].empty());
  run_process("/usr/bin/psql", {cluster, "-q", "-c", "DROP SCHEMA " + schema + " CASCADE"});
}
