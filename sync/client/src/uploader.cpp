#include "sync/uploader.hpp"

// GCC 12 pairs Asio's coroutine-frame operator new with the wrong delete when it inlines a
// coroutine call (a known false positive); the frame's own operators are matched.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/version.hpp>
#include <openssl/x509v3.h>

#include <deque>

#include "sync/internal/files.hpp"
#include "sync/internal/https.hpp"
#include "sync/protocol.hpp"

namespace borderpost::sync {

namespace {

ssl::context client_tls(const UploaderConfig& config) {
  ssl::context ctx(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_3_VERSION);
  ctx.load_verify_file(config.ca_cert);
  ctx.use_certificate_chain_file(config.cert);
  ctx.use_private_key_file(config.key, ssl::context::pem);
  ctx.set_verify_mode(ssl::verify_peer);
  return ctx;
}

bool is_ip_address(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// The central office must prove it is the name we expect, not merely any certificate of our CA.
void expect_server_name(SSL* ssl, const std::string& name) {
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (is_ip_address(name))
    X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
  else {
    X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
    SSL_set_tlsext_host_name(ssl, name.c_str());
  }
}

asio::awaitable<void> send_batch(TlsStream& stream, const UploaderConfig& config,
                                 const std::string& station, const std::string& signer_pem,
                                 const std::vector<Outbox::QueuedRecord>& records, std::uint64_t outbox_head) {
  std::vector<std::string_view> texts;
  texts.reserve(records.size());
  for (const auto& r : records) texts.push_back(r.json);
  http::request<http::string_body> request{http::verb::post, kRecordsPath, 11};
  request.set(http::field::host, config.server_name);
  request.set(http::field::content_type, "application/json");
  request.set(http::field::content_encoding, "gzip");
  request.set(kOutboxHeadHeader, std::to_string(outbox_head));
  request.keep_alive(true);
  request.body() = encode_batch_json(station, signer_pem, texts);
  request.prepare_payload();
  stream.next_layer().expires_after(config.timeout);
  co_await http::async_write(stream, request, asio::use_awaitable);
}

// The watch-list changes after the post's version, page by page, applied together at the end so
// the local table moves from one published version to another and never holds half a pull.
asio::awaitable<void> pull_watchlist(TlsStream& stream, beast::flat_buffer& buffer, const UploaderConfig& config,
                                     StationWatchlist& watchlist, UploadReport& report) {
  std::vector<WatchlistChange> changes;
  std::uint64_t since = watchlist.version();
  for (;;) {
    http::request<http::empty_body> request{http::verb::get, std::string(kWatchlistPath) + "?since=" + std::to_string(since), 11};
    request.set(http::field::host, config.server_name);
    request.keep_alive(true);
    stream.next_layer().expires_after(config.timeout);
    co_await http::async_write(stream, request, asio::use_awaitable);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
    const auto& response = parser.get();
    if (response.result() != http::status::ok)
      throw std::runtime_error("the central office refused the watch-list request (" + std::to_string(response.result_int()) + ")");
    std::string error;
    auto page = decode_watchlist_page(response.body(), error);
    if (!page) throw std::runtime_error("the central office sent a malformed watch-list page: " + error);
    if (!page->changes.empty() && page->changes.front().version <= since)
      throw std::runtime_error("the central office sent watch-list changes the post already holds");
    if (page->changes.empty()) break;
    since = page->changes.back().version;
    for (auto& c : page->changes) changes.push_back(std::move(c));
    if (since >= page->latest) break;
  }
  watchlist.apply(changes);
  report.watchlist_changes = changes.size();
  report.watchlist_version = watchlist.version();
}

// One connection: batches until the outbox is empty; records leave the outbox as acknowledged.
asio::awaitable<void> exchange(const UploaderConfig& config, Outbox& outbox, StationWatchlist* watchlist,
                               const std::string& signer_pem, UploadReport& report) {
  auto io = co_await asio::this_coro::executor;
  auto ctx = client_tls(config);
  TlsStream stream(io, ctx);
  expect_server_name(stream.native_handle(), config.server_name);
  tcp::resolver resolver(io);
  stream.next_layer().expires_after(config.timeout);
  const auto endpoints = co_await resolver.async_resolve(config.host, config.port, asio::use_awaitable);
  co_await stream.next_layer().async_connect(endpoints, asio::use_awaitable);
  stream.next_layer().expires_after(config.timeout);
  co_await stream.async_handshake(ssl::stream_base::client, asio::use_awaitable);
  beast::flat_buffer buffer;
  // Two batches in flight (HTTP pipelining): the post prepares and sends the next batch while the
  // central office verifies and stores the previous one.
  constexpr std::size_t kInFlight = 2;
  struct Sent {
    std::uint64_t first_seq, last_seq;
  };
  std::deque<Sent> in_flight;
  std::uint64_t sent_through = 0;
  for (;;) {
    while (in_flight.size() < kInFlight) {
      const auto records = outbox.pending_json_after(sent_through, config.batch_size);
      if (records.empty()) break;
      co_await send_batch(stream, config, outbox.station(), signer_pem, records, outbox.last_seq());
      in_flight.push_back({records.front().seq, records.back().seq});
      sent_through = records.back().seq;
    }
    if (in_flight.empty()) break;
    const Sent batch = in_flight.front();
    in_flight.pop_front();
    stream.next_layer().expires_after(config.timeout);
    http::response_parser<http::string_body> parser;
    parser.body_limit(1 << 20);
    co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
    const auto& response = parser.get();
    std::string error;
    const auto ack = decode_ack(response.body(), error);
    if (!ack)
      throw std::runtime_error("the central office answered " + std::to_string(response.result_int()) +
                               " without an acknowledgement: " + error);
    outbox.acknowledge(ack->stored_through);  // also after a refusal: what is stored is stored
    report.stored_through = ack->stored_through;
    ++report.batches;
    report.accepted += ack->accepted;
    report.duplicates += ack->duplicates;
    if (response.result() == http::status::conflict && ack->stored_through + 1 < batch.first_seq)
      throw std::runtime_error("the central office holds records only through " + std::to_string(ack->stored_through) +
                               " but had acknowledged up to " + std::to_string(batch.first_seq - 1) +
                               " before: its store lost records (restore it from backup)");
    if (response.result() != http::status::ok)
      throw std::runtime_error("the central office refused the batch (" + std::to_string(response.result_int()) +
                               "): " + ack->error);
  }
  if (watchlist) co_await pull_watchlist(stream, buffer, config, *watchlist, report);
  stream.next_layer().expires_after(std::chrono::seconds(5));
  beast::error_code ignored;
  co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ignored));
}

}  // namespace

Uploader::Uploader(UploaderConfig config, Outbox& outbox, StationWatchlist* watchlist)
    : config_(std::move(config)), outbox_(outbox), watchlist_(watchlist) {
  if (config_.server_name.empty()) config_.server_name = config_.host;
  if (config_.batch_size == 0) config_.batch_size = 1;
  signer_pem_ = read_text_file(config_.signing_cert);
}

UploadReport Uploader::upload() {
  UploadReport report;
  asio::io_context io;
  auto done = asio::co_spawn(io, exchange(config_, outbox_, watchlist_, signer_pem_, report), asio::use_future);
  io.run();
  try {
    done.get();
  } catch (const boost::system::system_error& e) {
    report.error = e.code() == beast::error::timeout ? "the central office did not answer in time" : e.code().message();
  } catch (const std::exception& e) {
    report.error = e.what();
  }
  try {
    outbox_.note_contact(report.error);
    report.pending = outbox_.status().pending;
    if (watchlist_) report.watchlist_version = watchlist_->version();
  } catch (const std::exception& e) {
    if (report.error.empty()) report.error = e.what();
  }
  return report;
}

Backoff::Backoff(std::chrono::milliseconds first, std::chrono::milliseconds ceiling, std::uint32_t seed)
    : first_(first), ceiling_(ceiling), rng_(seed) {}

std::chrono::milliseconds Backoff::next() {
  const auto growth = std::min(failures_, 30);
  ++failures_;
  const double cap = std::min(static_cast<double>(ceiling_.count()), static_cast<double>(first_.count()) * std::pow(2.0, growth));
  std::uniform_real_distribution<double> jitter(static_cast<double>(first_.count()) / 2, std::max(cap, 1.0));
  return std::chrono::milliseconds(static_cast<long long>(jitter(rng_)));
}

SyncLoop::SyncLoop(Uploader& uploader, Backoff backoff, std::chrono::milliseconds interval)
    : uploader_(uploader), backoff_(std::move(backoff)), interval_(interval) {}

void SyncLoop::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    auto report = uploader_.upload();
    const bool failed = !report.error.empty();
    std::unique_lock lock(mutex_);
    last_ = std::move(report);
    if (!failed) backoff_.reset();
    const auto wait = failed ? backoff_.next() : interval_;
    wakeup_.wait_for(lock, stop, wait, [&] { return woken_; });
    woken_ = false;
  }
}

void SyncLoop::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wakeup_.notify_all();
}

UploadReport SyncLoop::last_report() {
  std::lock_guard lock(mutex_);
  return last_;
}

}  // namespace borderpost::sync
