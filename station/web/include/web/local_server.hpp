// The local API's transport: an HTTP/1.1 server on the station's event loop (Boost.Beast) whose
// requests go to one handler function, and a WebSocket endpoint that pushes events to every
// connected page. Single-threaded by design: everything runs on the loop that owns the station.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

namespace borderpost::station {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

class EventSession;

class LocalServer {
 public:
  // The handler answers through `respond`, at once or later (after work on another thread), always
  // on the loop's thread; only its first answer is sent (a later one is dropped).
  using Respond = std::function<void(HttpResponse)>;
  using Handler = std::function<void(const HttpRequest&, Respond)>;
  // Listens at once; throws std::system_error when the address is taken.
  LocalServer(boost::asio::io_context& io, const std::string& address, unsigned short port, std::string events_path, Handler handler);
  ~LocalServer();
  unsigned short port() const;
  // To every WebSocket client still allowed; `delivered` hears the request that opened each feed
  // the event went to (whose page it is).
  void publish(const std::string& json, const std::function<void(const HttpRequest&)>& delivered = {});
  std::size_t subscribers() const { return sessions_.size(); }
  void close();  // stops accepting and closes the WebSocket clients

  // Used by the sessions.
  void join(const std::shared_ptr<EventSession>& session) { sessions_.insert(session); }
  void leave(const std::shared_ptr<EventSession>& session) { sessions_.erase(session); }
  const Handler& handler() const { return handler_; }
  // Who may open the event feed (a logged-in person); others get 401.
  void set_events_gate(std::function<bool(const HttpRequest&)> gate) { events_gate_ = std::move(gate); }
  bool events_allowed(const HttpRequest& request) const { return !events_gate_ || events_gate_(request); }
  // Whether a connected page may still receive events (asked at each event, with the request that
  // opened the feed); one that may not is disconnected (its session locked or ended).
  void set_events_still_allowed(std::function<bool(const HttpRequest&)> check) { still_allowed_ = std::move(check); }
  const std::string& events_path() const { return events_path_; }

 private:
  void accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::string events_path_;
  Handler handler_;
  std::function<bool(const HttpRequest&)> events_gate_, still_allowed_;
  std::set<std::shared_ptr<EventSession>> sessions_;
};

// A JSON response with the headers every API answer carries.
HttpResponse json_response(const HttpRequest& request, boost::beast::http::status status, const std::string& body);

}  // namespace borderpost::station
