// The local API's log-in sessions: logging in and out, unlocking after inactivity, the person's
// language, and the gate every other endpoint passes (a valid session, an enabled account, and
// for a change the session's CSRF token).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "web/audit_writer.hpp"
#include "accounts/accounts.hpp"
#include "accounts/sessions.hpp"
#include "web/background.hpp"
#include "web/local_server.hpp"

namespace borderpost::station {

class SessionApi {
 public:
  struct Context {
    Accounts& accounts;
    Sessions& sessions;
    Background& background;
    int idle_minutes;     // a page locks after this long without use (told to the pages)
    int lockout_minutes;  // how long too many wrong passwords lock an account
    std::function<const Said&()> store_problem;  // why nothing can be written; empty when it can
    AuditWriter audit;
  };
  explicit SessionApi(Context context) : c_(std::move(context)) {}

  // Answers (now or later, through `respond`) and returns true when `path` is a session endpoint.
  // Throws api::BadRequest for a malformed request.
  bool handle(const HttpRequest& request, const std::string& path, const LocalServer::Respond& respond);

  // The refusal for a request without a person behind it, or nullopt and the person's `session`.
  std::optional<HttpResponse> refuse_unless_logged_in(const HttpRequest& request, Session*& session);
  // The valid session of the page whose event feed `opened_by` opened; nullptr once it is locked
  // or ended. Sending it events is not the person's activity.
  Session* feed_session(const HttpRequest& opened_by);

 private:
  nlohmann::json session_json(const Session& s) const;
  HttpResponse current(const HttpRequest& request);
  HttpResponse log_out(const HttpRequest& request);
  void log_in(const HttpRequest& request, const LocalServer::Respond& respond);
  void unlock(const HttpRequest& request, const LocalServer::Respond& respond);
  HttpResponse set_language(const HttpRequest& request);
  void verify_password(const std::string& id, std::string password, std::function<void(std::optional<LoginResult>)> then,
                      Unanswered unanswered);
  Context c_;
};

// The session's token in the request's cookie, or "".
std::string session_token(const HttpRequest& request);

}  // namespace borderpost::station
