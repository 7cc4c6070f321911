// A client of the station's local API: HTTP+JSON requests and the WebSocket event feed, as the
// pages and automation use them (the demo traveller queue, the end-to-end tests, the benchmarks).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace borderpost::station {

struct ApiAnswer {
  int status = 0;  // HTTP status; 0 when the station could not be reached
  nlohmann::json body;
  std::string error;       // transport error
  std::string set_cookie;  // the Set-Cookie header, if any
  std::string text;        // the body as received (CSV, HTML)
};

class StationClient {
 public:
  explicit StationClient(unsigned short port, std::string host = "127.0.0.1") : port_(port), host_(std::move(host)) {}
  // POST /api/session; on success later requests carry the session cookie and the CSRF header.
  ApiAnswer login(const std::string& account, const std::string& password);
  const std::string& cookie() const { return cookie_; }  // "bp_session=...", "" before a log-in
  ApiAnswer get(const std::string& target) const { return request("GET", target, ""); }
  ApiAnswer post(const std::string& target, const nlohmann::json& body) const { return request("POST", target, body.dump()); }
  // A page's own polling (X-Borderpost-Poll): answered alike, but not counted as the person's activity.
  ApiAnswer poll(const std::string& target) const { return request("GET", target, "", true); }
  ApiAnswer request(const std::string& method, const std::string& target, const std::string& body, bool background = false) const;

  // Polls GET /api/inspection until its state is one of the settled ones (or the time is up).
  nlohmann::json wait_for_inspection(std::uint64_t after_id, int timeout_ms = 20'000) const;

 private:
  unsigned short port_;
  std::string host_;
  std::string cookie_, csrf_;
};

// The live events of ws://127.0.0.1:PORT/api/events.
class EventFeed {
 public:
  // `cookie`: the session cookie of a logged-in StationClient (the events carry personal data).
  explicit EventFeed(unsigned short port, const std::string& cookie, const std::string& host = "127.0.0.1");
  ~EventFeed();
  // The next event, or nullopt after `timeout`.
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout);
  // Skips events until one named `name` arrives.
  std::optional<nlohmann::json> wait_for(const std::string& name, std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace borderpost::station
