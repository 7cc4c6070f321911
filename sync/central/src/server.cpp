#include "sync/server.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "sync/internal/https.hpp"
#include "sync/trust.hpp"

namespace borderpost::sync {

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(60);

HttpResponse json_response(const HttpRequest& request, http::status status, std::string body) {
  HttpResponse response{status, request.version()};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::server, "borderpost-central");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

std::shared_ptr<ssl::context> make_tls_context(const ServerConfig& config, Trust& trust) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_3_VERSION);
  ctx->use_certificate_chain_file(config.cert);
  ctx->use_private_key_file(config.key, ssl::context::pem);
  SSL_CTX_set_cert_store(ctx->native_handle(), trust.new_store());
  ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  return ctx;
}

asio::awaitable<HttpResponse> handle_on_worker(Receiver& receiver, const HttpRequest& request, const std::string& station) {
  co_return handle_request(receiver, request, station);
}

// The post's newest record number from kOutboxHeadHeader; anything but a plain number is ignored.
std::optional<std::uint64_t> reported_head(const HttpRequest& request) {
  const auto value = request[kOutboxHeadHeader];
  if (value.empty() || value.size() > 19 || value.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  return std::stoull(std::string(value));
}

}  // namespace

HttpResponse handle_request(Receiver& receiver, const HttpRequest& request, const std::string& station) {
  const auto target = request.target();
  if (target == kRecordsPath) {
    if (request.method() != http::verb::post) return json_response(request, http::status::method_not_allowed, R"({"error":"use POST"})");
    const auto encoding = request[http::field::content_encoding];
    const bool gzipped = encoding == "gzip";
    if (!gzipped && !encoding.empty())
      return json_response(request, http::status::unsupported_media_type, R"({"error":"only gzip encoding is accepted"})");
    const auto reply = receiver.receive(station, request.body(), gzipped, reported_head(request));
    if (reply.status != 200)
      spdlog::warn("batch from station {} refused ({}): {}", station, reply.status, reply.ack.error);
    else if (reply.ack.accepted > 0)
      spdlog::info("station {}: stored {} records, now through {}", station, reply.ack.accepted, reply.ack.stored_through);
    return json_response(request, static_cast<http::status>(reply.status), encode_ack(reply.ack));
  }
  if (target.starts_with(kWatchlistPath) && request.method() == http::verb::get) {
    const auto since = watchlist_since(std::string_view(target.data(), target.size()));
    if (!since) return json_response(request, http::status::bad_request, R"({"error":"use /v1/watchlist?since=VERSION"})");
    return json_response(request, http::status::ok, receiver.watchlist_page(*since));
  }
  if (target == kHeadPath && request.method() == http::verb::get)
    return json_response(request, http::status::ok, encode_ack(receiver.head(station).ack));
  return json_response(request, http::status::not_found, R"({"error":"no such resource"})");
}

struct CentralServer::Impl {
  ServerConfig config;
  Receiver& receiver;
  Trust& trust;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::shared_ptr<ssl::context> tls;
  std::uint64_t tls_generation = 0;
  std::vector<std::thread> threads;
  asio::thread_pool workers;

  Impl(ServerConfig c, Receiver& r, Trust& t)
      : config(std::move(c)), receiver(r), trust(t), workers(static_cast<std::size_t>(std::max(1, config.workers))) {
    tls_generation = trust.generation();
    tls = make_tls_context(config, trust);
    const tcp::endpoint endpoint(asio::ip::make_address(config.address), config.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
  }

  // A revoked station must fail its next handshake: rebuild the context when the CRL changes.
  std::shared_ptr<ssl::context> current_tls() {
    const auto generation = trust.generation();
    if (generation != tls_generation) {
      tls = make_tls_context(config, trust);
      tls_generation = generation;
    }
    return tls;
  }

  asio::awaitable<void> listen() {
    for (;;) {
      // Each connection on its own strand: its timer and its I/O never run at the same time.
      tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(io), asio::use_awaitable);
      std::shared_ptr<ssl::context> ctx;
      try {
        ctx = current_tls();
      } catch (const std::exception& e) {
        spdlog::error("cannot refresh the TLS context: {}", e.what());
        ctx = tls;
      }
      asio::co_spawn(socket.get_executor(), session(std::move(socket), ctx), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket, std::shared_ptr<ssl::context> ctx) {
    std::string peer_address;
    beast::error_code ignored;
    peer_address = socket.remote_endpoint(ignored).address().to_string();
    TlsStream stream(std::move(socket), *ctx);
    std::string station;
    try {
      stream.next_layer().expires_after(std::chrono::seconds(15));
      co_await stream.async_handshake(ssl::stream_base::server, asio::use_awaitable);
      station = common_name(SSL_get0_peer_certificate(stream.native_handle()));
      beast::flat_buffer buffer;
      for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(kMaxBatchBytes);
        stream.next_layer().expires_after(kIdleTimeout);
        co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
        const auto request = parser.release();
        // Verification and the durable write block; they run on the worker pool so the I/O
        // threads keep serving the other stations meanwhile.
        auto response = co_await asio::co_spawn(workers, handle_on_worker(receiver, request, station), asio::use_awaitable);
        const bool keep_alive = response.keep_alive();
        co_await http::async_write(stream, response, asio::use_awaitable);
        if (!keep_alive) break;
      }
      stream.next_layer().expires_after(std::chrono::seconds(5));
      co_await stream.async_shutdown(asio::use_awaitable);
    } catch (const boost::system::system_error& e) {
      if (station.empty())
        spdlog::warn("TLS handshake with {} refused: {}", peer_address, e.code().message());
      else if (e.code() == http::error::body_limit)
        spdlog::warn("station {}: request body over {} MiB refused", station, kMaxBatchBytes >> 20);
      else if (e.code() != http::error::end_of_stream && e.code() != asio::ssl::error::stream_truncated &&
               e.code() != beast::error::timeout)
        spdlog::debug("station {}: connection ended: {}", station, e.code().message());
    } catch (const std::exception& e) {
      spdlog::error("station {}: request failed: {}", station, e.what());
    }
  }
};

CentralServer::CentralServer(ServerConfig config, Receiver& receiver, Trust& trust)
    : impl_(std::make_unique<Impl>(std::move(config), receiver, trust)) {}

CentralServer::~CentralServer() { stop(); }

unsigned short CentralServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void CentralServer::start() {
  asio::co_spawn(impl_->io, impl_->listen(), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const boost::system::system_error& error) {
      if (error.code() != asio::error::operation_aborted) spdlog::error("listener stopped: {}", error.what());
    } catch (const std::exception& error) {
      spdlog::error("listener stopped: {}", error.what());
    }
  });
  for (int i = 0; i < std::max(1, impl_->config.threads); ++i) impl_->threads.emplace_back([this] { impl_->io.run(); });
}

void CentralServer::stop() {
  if (!impl_) return;
  impl_->io.stop();
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
  impl_->threads.clear();
  impl_->workers.join();  // a batch being stored is finished, not cut off
}

}  // namespace borderpost::sync
