// The local API client: short-lived HTTP connections and a WebSocket read with a deadline.
#include "web/local_client.hpp"

// GCC 12 with -O2 and the sanitizers reports Beast's response parser (boost::optional content
// length) as maybe-uninitialized: a known false positive in Boost 1.74's basic_parser.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace borderpost::station {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

}  // namespace

ApiAnswer StationClient::request(const std::string& method, const std::string& target, const std::string& body, bool background) const {
  ApiAnswer answer;
  try {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(tcp::resolver(io).resolve(host_, std::to_string(port_)));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, host_);
    req.set(http::field::content_type, "application/json");
    if (!cookie_.empty()) req.set(http::field::cookie, cookie_);
    if (!csrf_.empty()) req.set("X-CSRF-Token", csrf_);
    if (background) req.set("X-Borderpost-Poll", "1");
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    answer.status = static_cast<int>(res.result_int());
    answer.body = nlohmann::json::parse(res.body(), nullptr, false);
    answer.set_cookie = std::string(res[http::field::set_cookie]);
    answer.text = res.body();
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  } catch (const std::exception& e) {
    answer.status = 0;
    answer.error = e.what();
  }
  return answer;
}

ApiAnswer StationClient::login(const std::string& account, const std::string& password) {
  auto answer = post("/api/session", {{"account", account}, {"password", password}});
  if (answer.status == 200) {
    cookie_ = answer.set_cookie.substr(0, answer.set_cookie.find(';'));
    csrf_ = answer.body.value("csrf", "");
  }
  return answer;
}

nlohmann::json StationClient::wait_for_inspection(std::uint64_t after_id, int timeout_ms) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  nlohmann::json last;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto answer = get("/api/inspection");
    if (answer.status == 200) {
      last = answer.body;
      const auto state = last.value("state", "");
      if (last.value("id", std::uint64_t{0}) > after_id &&
          (state == "inspected" || state == "no-mrz" || state == "unusable" || state == "interrupted" || state == "decided"))
        return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return last;
}

struct EventFeed::Impl {
  asio::io_context io;
  beast::websocket::stream<beast::tcp_stream> ws{io};
  beast::flat_buffer buffer;
};

EventFeed::EventFeed(unsigned short port, const std::string& cookie, const std::string& host) : impl_(std::make_unique<Impl>()) {
  beast::get_lowest_layer(impl_->ws).connect(tcp::resolver(impl_->io).resolve(host, std::to_string(port)));
  impl_->ws.set_option(beast::websocket::stream_base::decorator([cookie](beast::websocket::request_type& req) {
    if (!cookie.empty()) req.set(http::field::cookie, cookie);
  }));
  impl_->ws.handshake(host, "/api/events");
}

EventFeed::~EventFeed() {
  beast::error_code ec;
  beast::get_lowest_layer(impl_->ws).socket().close(ec);
}

std::optional<nlohmann::json> EventFeed::next(std::chrono::milliseconds timeout) {
  bool done = false;
  beast::error_code result;
  impl_->ws.async_read(impl_->buffer, [&](beast::error_code ec, std::size_t) {
    done = true;
    result = ec;
  });
  impl_->io.restart();
  impl_->io.run_for(timeout);
  if (!done) {
    beast::get_lowest_layer(impl_->ws).cancel();
    impl_->io.restart();
    impl_->io.run();
    return std::nullopt;
  }
  if (result) return std::nullopt;
  auto event = nlohmann::json::parse(beast::buffers_to_string(impl_->buffer.data()), nullptr, false);
  impl_->buffer.consume(impl_->buffer.size());
  return event;
}

std::optional<nlohmann::json> EventFeed::wait_for(const std::string& name, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto event = next(left);
    if (!event) return std::nullopt;
    if (event->value("event", "") == name) return event;
  }
  return std::nullopt;
}

}  // namespace borderpost::station
