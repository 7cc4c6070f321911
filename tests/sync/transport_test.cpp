// Station to central office over real TLS 1.3 with client certificates on loopback.
#include <doctest/doctest.h>

#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>

#include "fixtures.hpp"
#include "sample.hpp"
#include "sync/sqlite.hpp"
#include "sync/outbox.hpp"
#include "sync/receiver.hpp"
#include "sync/server.hpp"
#include "sync/uploader.hpp"
#include "test_store.hpp"

using namespace borderpost::sync;
using namespace borderpost::sync::testing;
namespace asio = boost::asio;

namespace {

struct Central {
  const Directorate& d;
  std::unique_ptr<TestStore> central;
  std::unique_ptr<CentralStore> store;
  Trust trust;
  Receiver receiver;
  CentralServer server;
  explicit Central(const Directorate& directorate, std::size_t watchlist_page = kWatchlistPageSize)
      : d(directorate),
        central(make_test_store(directorate.dir)),
        store(central->open()),
        trust(directorate.ca_cert(), directorate.crl()),
        receiver(*store, trust, watchlist_page),
        server({"127.0.0.1", 0, d.central + "/server.crt", d.central + "/server.key", d.ca_cert(), d.crl(), 2}, receiver, trust) {
    server.start();
  }
};

struct Post {
  sqlite::Connection db;
  Outbox outbox;
  Post(const Directorate& d, const std::string& dir, const std::string& id)
      : db(d.dir / (id + ".db")), outbox(db.get(), id, SigningKey::load(dir + "/signing.key")) {}
  UploaderConfig config(const std::string& dir, unsigned short port) const {
    UploaderConfig c;
    c.host = "127.0.0.1";
    c.port = std::to_string(port);
    c.ca_cert = dir + "/ca.crt";
    c.cert = dir + "/station.crt";
    c.key = dir + "/station.key";
    c.signing_cert = dir + "/signing.crt";
    c.batch_size = 200;
    c.timeout = std::chrono::milliseconds(5000);
    return c;
  }
};

// A TLS client with the given certificate (or none) that tries one handshake.
std::string try_handshake(unsigned short port, const std::string& ca, const std::string& cert, const std::string& key) {
  asio::io_context io;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.load_verify_file(ca);
  if (!cert.empty()) {
    ctx.use_certificate_chain_file(cert);
    ctx.use_private_key_file(key, asio::ssl::context::pem);
  }
  asio::ssl::stream<asio::ip::tcp::socket> stream(io, ctx);
  stream.lowest_layer().connect({asio::ip::make_address("127.0.0.1"), port});
  boost::system::error_code ec;
  stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec) return ec.message();
  // TLS 1.3: the server judges the client certificate after the client's side of the handshake
  // completed; its verdict arrives with the first read.
  const std::string request = "GET /v1/head HTTP/1.1\r\nHost: x\r\n\r\n";
  asio::write(stream, asio::buffer(request), ec);
  char reply[256];
  const auto n = stream.read_some(asio::buffer(reply), ec);
  if (ec) return ec.message();
  return std::string(reply, n).substr(0, 12);
}

}  // namespace

TEST_CASE("a post drains its outbox to the central office in batches over mutual TLS") {
  Directorate d;
  Central central(d);
  Post post(d, d.tumbes, "PE-TUMBES-01");
  for (int i = 0; i < 450; ++i) post.outbox.append(sample_movement(i), now());
  Uploader uploader(post.config(d.tumbes, central.server.port()), post.outbox);
  const auto report = uploader.upload();
  CHECK_MESSAGE(report.error.empty(), report.error);
  CHECK(report.batches == 3);
  CHECK(report.accepted == 450);
  CHECK(report.stored_through == 450);
  CHECK(report.pending == 0);
  CHECK(central.store->record_count() == 450);
  CHECK(post.outbox.status().acknowledged == 450);
  // Nothing new: a second upload sends nothing.
  CHECK(uploader.upload().batches == 0);
}

TEST_CASE("after its upload a post pulls the watch-list changes, page by page, and only the new ones next time") {
  Directorate d;
  Central central(d, 2);  // two changes a page, so one pull takes several requests
  Post post(d, d.tumbes, "PE-TUMBES-01");
  StationWatchlist watchlist(post.db.get());
  for (int i = 0; i < 5; ++i)
    central.store->watchlist_change("add", {"doc-" + std::to_string(i), WatchlistKind::Document, "P00" + std::to_string(i), "", "", "", "", "", "stolen"},
                                    "2026-11-23T10:00:00.000Z");
  for (int i = 0; i < 3; ++i) post.outbox.append(sample_movement(i), now());
  Uploader uploader(post.config(d.tumbes, central.server.port()), post.outbox, &watchlist);
  auto report = uploader.upload();
  REQUIRE(report.error.empty());
  CHECK(report.accepted == 3);
  CHECK(report.watchlist_changes == 5);
  CHECK(report.watchlist_version == 5);
  CHECK(watchlist.documents("P003", "PER").size() == 1);

  central.store->watchlist_change("remove", watchlist_removal("doc-3"), "2026-11-23T11:00:00.000Z");
  report = uploader.upload();  // nothing to upload; the pull still runs
  REQUIRE(report.error.empty());
  CHECK(report.watchlist_changes == 1);
  CHECK(watchlist.version() == 6);
  CHECK(watchlist.documents("P003", "PER").empty());
  CHECK(watchlist.size() == 4);
  report = uploader.upload();
  CHECK(report.watchlist_changes == 0);
}

TEST_CASE("two posts upload side by side, and each chain is kept apart") {
  Directorate d;
  Central central(d);
  Post a(d, d.tumbes, "PE-TUMBES-01");
  Post b(d, d.desaguadero, "PE-DESAGUADERO-02");
  for (int i = 0; i < 120; ++i) {
    a.outbox.append(sample_movement(i), now());
    b.outbox.append(sample_movement(i + 1), now());
  }
  Uploader ua(a.config(d.tumbes, central.server.port()), a.outbox);
  Uploader ub(b.config(d.desaguadero, central.server.port()), b.outbox);
  UploadReport ra, rb;
  std::thread ta([&] { ra = ua.upload(); });
  std::thread tb([&] { rb = ub.upload(); });
  ta.join();
  tb.join();
  CHECK(ra.error.empty());
  CHECK(rb.error.empty());
  CHECK(central.store->record_count() == 240);
  CHECK(central.store->head("PE-TUMBES-01").seq == 120);
  CHECK(central.store->head("PE-DESAGUADERO-02").seq == 120);
}

TEST_CASE("with the central office unreachable, records stay queued and the error says why") {
  Directorate d;
  Post post(d, d.tumbes, "PE-TUMBES-01");
  post.outbox.append(sample_movement(1), now());
  unsigned short closed_port = 0;
  {
    asio::io_context io;
    asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
    closed_port = probe.local_endpoint().port();
  }
  Uploader uploader(post.config(d.tumbes, closed_port), post.outbox);
  const auto report = uploader.upload();
  CHECK(report.error.find("refused") != std::string::npos);
  CHECK(report.pending == 1);
  CHECK(post.outbox.status().last_error == report.error);
}

TEST_CASE("clients without a certificate, with a foreign one, or revoked are refused at the handshake") {
  Directorate d;
  Directorate foreign;
  Central central(d);
  const auto port = central.server.port();
  CHECK(try_handshake(port, d.ca_cert(), d.tumbes + "/station.crt", d.tumbes + "/station.key") == "HTTP/1.1 200");
  CHECK(try_handshake(port, d.ca_cert(), "", "") != "HTTP/1.1 200");
  CHECK(try_handshake(port, d.ca_cert(), foreign.tumbes + "/station.crt", foreign.tumbes + "/station.key") != "HTTP/1.1 200");
  // The signing certificate is not a TLS client certificate.
  CHECK(try_handshake(port, d.ca_cert(), d.tumbes + "/signing.crt", d.tumbes + "/signing.key") != "HTTP/1.1 200");
  pki::revoke_station(d.ca, "PE-TUMBES-01");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the CRL is re-read at most once a second
  CHECK(try_handshake(port, d.ca_cert(), d.tumbes + "/station.crt", d.tumbes + "/station.key") != "HTTP/1.1 200");
  CHECK(try_handshake(port, d.ca_cert(), d.desaguadero + "/station.crt", d.desaguadero + "/station.key") == "HTTP/1.1 200");
}

TEST_CASE("the post refuses a server whose certificate does not carry the expected name") {
  Directorate d;
  Central central(d);
  Post post(d, d.tumbes, "PE-TUMBES-01");
  post.outbox.append(sample_movement(1), now());
  auto config = post.config(d.tumbes, central.server.port());
  config.server_name = "central.example.org";
  const auto report = Uploader(config, post.outbox).upload();
  CHECK(report.error.find("certificate verify failed") != std::string::npos);
  CHECK(report.pending == 1);
}

TEST_CASE("back-off grows with failures, stays under its ceiling, jitters, and resets") {
  Backoff backoff(std::chrono::milliseconds(1000), std::chrono::milliseconds(60'000), 7);
  std::chrono::milliseconds longest{0};
  for (int i = 0; i < 20; ++i) {
    const auto wait = backoff.next();
    CHECK(wait >= std::chrono::milliseconds(500));
    CHECK(wait <= std::chrono::milliseconds(60'000));
    longest = std::max(longest, wait);
  }
  CHECK(longest > std::chrono::milliseconds(20'000));
  backoff.reset();
  CHECK(backoff.next() <= std::chrono::milliseconds(1000));
}

TEST_CASE("the sync loop uploads when woken and stops promptly") {
  Directorate d;
  Central central(d);
  Post post(d, d.tumbes, "PE-TUMBES-01");
  sqlite::Connection sync_db(d.dir / "PE-TUMBES-01.db");  // the loop has its own connection
  Outbox sync_outbox(sync_db.get(), "PE-TUMBES-01", SigningKey::load(d.tumbes + "/signing.key"));
  Uploader uploader(post.config(d.tumbes, central.server.port()), sync_outbox);
  SyncLoop loop(uploader, Backoff(std::chrono::milliseconds(100), std::chrono::milliseconds(1000)), std::chrono::hours(1));
  std::jthread thread([&](std::stop_token stop) { loop.run(stop); });
  post.outbox.append(sample_movement(1), now());
  loop.wake();
  for (int i = 0; i < 100 && central.store->record_count() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(central.store->record_count() == 1);
  const auto start = std::chrono::steady_clock::now();
  thread.request_stop();
  thread.join();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}
