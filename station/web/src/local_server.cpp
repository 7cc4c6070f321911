// Listener, HTTP sessions and WebSocket event sessions of the local API (Beast, one loop).
#include "web/local_server.hpp"

#include <deque>
#include <optional>
#include <utility>

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace borderpost::station {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

constexpr std::size_t kMaxRequestBody = 1 << 20;  // manual entry and decisions are small

}  // namespace

// One page's live event feed; events queue while a write is in flight.
class EventSession : public std::enable_shared_from_this<EventSession> {
 public:
  EventSession(tcp::socket socket, LocalServer& server) : ws_(std::move(socket)), server_(server) {}

  void start(HttpRequest request) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    opened_by_ = request;
    ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->server_.join(self);
      self->read();
    });
  }

  void send(std::shared_ptr<const std::string> text) {
    if (queue_.size() > 1000) return;  // a page that stopped reading; it reloads state on reconnect
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) write();
  }

  void close() {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  const HttpRequest& opened_by() const { return opened_by_; }

 private:
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->server_.leave(self);
      self->buffer_.consume(self->buffer_.size());  // pages only listen; anything they send is ignored
      self->read();
    });
  }

  void write() {
    ws_.text(true);
    ws_.async_write(asio::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->server_.leave(self);
      self->queue_.pop_front();
      if (!self->queue_.empty()) self->write();
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  LocalServer& server_;
  HttpRequest opened_by_;  // the upgrade request: its session cookie says whose feed this is
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
};

namespace {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, LocalServer& server) : stream_(std::move(socket)), server_(server) {}
  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(kMaxRequestBody);
    stream_.expires_after(std::chrono::seconds(60));
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail(ec);
      self->respond(self->parser_->release());
    });
  }

  void fail(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      HttpRequest dummy;
      respond_with(json_response(dummy, http::status::payload_too_large, R"({"error":"the request is too large"})"), false);
      return;
    }
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  void respond(HttpRequest request) {
    if (websocket::is_upgrade(request) && request.target() == server_.events_path()) {
      if (!server_.events_allowed(request)) {
        respond_with(json_response(request, http::status::unauthorized, R"json({"error":"log in first (POST /api/session)"})json"), false);
        return;
      }
      stream_.expires_never();
      std::make_shared<EventSession>(stream_.release_socket(), server_)->start(std::move(request));
      return;
    }
    const bool keep_alive = request.keep_alive();
    auto answered = std::make_shared<bool>(false);
    try {
      server_.handler()(request, [self = shared_from_this(), keep_alive, answered](HttpResponse response) {
        // A continuation that answered and then failed must not start a second write on the stream.
        if (std::exchange(*answered, true)) return;
        self->respond_with(std::move(response), keep_alive);
      });
    } catch (const std::exception& e) {
      if (*answered) return;
      respond_with(json_response(request, http::status::internal_server_error,
                                 nlohmann::json{{"error", std::string("the station could not answer: ").append(e.what())}}.dump()),
                   keep_alive);
    }
  }

  void respond_with(HttpResponse response, bool keep_alive) {
    response.keep_alive(keep_alive);
    response.prepare_payload();
    auto shared = std::make_shared<HttpResponse>(std::move(response));
    http::async_write(stream_, *shared, [self = shared_from_this(), shared](beast::error_code ec, std::size_t) {
      if (ec) return;
      if (!shared->keep_alive()) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        return;
      }
      self->read();
    });
  }

  beast::tcp_stream stream_;
  LocalServer& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace

LocalServer::LocalServer(asio::io_context& io, const std::string& address, unsigned short port, std::string events_path, Handler handler)
    : io_(io), acceptor_(io), events_path_(std::move(events_path)), handler_(std::move(handler)) {
  const tcp::endpoint endpoint(asio::ip::make_address(address), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  accept();
}

LocalServer::~LocalServer() { close(); }

unsigned short LocalServer::port() const { return acceptor_.local_endpoint().port(); }

void LocalServer::accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) std::make_shared<HttpSession>(std::move(socket), *this)->start();
    accept();
  });
}

void LocalServer::publish(const std::string& json, const std::function<void(const HttpRequest&)>& delivered) {
  auto text = std::make_shared<const std::string>(json);
  for (const auto& s : std::set(sessions_)) {
    if (still_allowed_ && !still_allowed_(s->opened_by())) {
      s->close();
      sessions_.erase(s);
      continue;
    }
    s->send(text);
    if (delivered) delivered(s->opened_by());
  }
}

void LocalServer::close() {
  beast::error_code ec;
  acceptor_.close(ec);
  for (const auto& s : std::set(sessions_)) s->close();
  sessions_.clear();
}

HttpResponse json_response(const HttpRequest& request, http::status status, const std::string& body) {
  HttpResponse response{status, request.version() ? request.version() : 11};
  response.set(http::field::content_type, "application/json; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.body() = body;
  return response;
}

}  // namespace borderpost::station
