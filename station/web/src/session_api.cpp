// Log-in sessions over HTTP: the session cookie, the CSRF header, password checks off the loop.
#include "web/session_api.hpp"

#include <openssl/crypto.h>

#include "web/api_support.hpp"

namespace borderpost::station {
namespace {

using namespace api;

constexpr std::string_view kSessionCookie = "bp_session";
constexpr const char* kPollHeader = "X-Borderpost-Poll";  // sent by a page's own polling

// The page sends back the session's CSRF token in a header another site cannot set; compared in
// constant time.
bool csrf_ok(const HttpRequest& request, const Session& session) {
  const auto sent = request["X-CSRF-Token"];
  return sent.size() == session.csrf.size() && CRYPTO_memcmp(sent.data(), session.csrf.data(), sent.size()) == 0;
}

HttpResponse csrf_refused(const HttpRequest& request) {
  return error(request, http::status::forbidden, "missing or wrong X-CSRF-Token header", {"error.session.csrf"});
}

HttpResponse not_logged_in(const HttpRequest& request) {
  return error(request, http::status::unauthorized, "not logged in", {"error.session.missing"});
}

HttpResponse not_checked(const HttpRequest& request) {
  return error(request, http::status::service_unavailable, "the password could not be checked just now; try again", {"error.login.unavailable"});
}

// HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure (browsers
// accept it from a loopback address, where the pages are served).
std::string session_cookie(const std::string& token, bool clear = false) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Secure" + (clear ? "; Max-Age=0" : "");
}

}  // namespace

std::string session_token(const HttpRequest& request) {
  const auto header = request[http::field::cookie];
  return cookie_value(std::string_view(header.data(), header.size()), kSessionCookie);
}

bool SessionApi::handle(const HttpRequest& request, const std::string& path, const LocalServer::Respond& respond) {
  const auto method = request.method();
  // Logging in checks a memory-hard password hash: on a worker, answered later.
  if (path == "/api/session" && method == http::verb::post) {
    log_in(request, respond);
  } else if (path == "/api/session/unlock" && method == http::verb::post) {
    unlock(request, respond);
  } else if (path == "/api/session") {
    if (method == http::verb::get) respond(current(request));
    else if (method == http::verb::delete_) respond(log_out(request));
    else respond(error(request, http::status::method_not_allowed, "use GET, POST or DELETE"));
  } else if (path == "/api/session/language" && method == http::verb::post) {
    respond(set_language(request));
  } else {
    return false;
  }
  return true;
}

json SessionApi::session_json(const Session& s) const {
  return {{"account", s.account}, {"name", s.name}, {"role", to_string(s.role)}, {"language", s.language}, {"locked", s.locked},
          {"idle_minutes", c_.idle_minutes}};
}

HttpResponse SessionApi::current(const HttpRequest& request) {
  const auto [state, s] = c_.sessions.touch(session_token(request), Sessions::Clock::now());
  if (state == Sessions::State::Missing) return not_logged_in(request);
  return ok(request, session_json(*s));
}

HttpResponse SessionApi::log_out(const HttpRequest& request) {
  const auto token = session_token(request);
  if (const auto [state, s] = c_.sessions.touch(token, Sessions::Clock::now()); s) c_.audit(s->account, "session.closed", s->account, "");
  c_.sessions.close(token);
  auto response = ok(request, {{"ok", true}});
  response.set(http::field::set_cookie, session_cookie("", true));
  return response;
}

// The password check runs on a worker; the account's failure count is read and written here.
void SessionApi::verify_password(const std::string& id, std::string password, std::function<void(std::optional<LoginResult>)> then,
                                 Unanswered unanswered) {
  auto attempt = std::make_shared<LoginAttempt>(c_.accounts.begin_login(id, std::chrono::system_clock::now()));
  c_.background.run([attempt, password = std::move(password)] { return check_password(*attempt, password); },
                    [this, attempt, then = std::move(then)](std::optional<bool> matched) {
                      std::optional<LoginResult> result;
                      try {
                        if (matched) result = c_.accounts.finish_login(*attempt, *matched, std::chrono::system_clock::now());
                      } catch (const std::exception& e) {
                        spdlog::error("log-in not completed: {}", e.what());
                      }
                      then(std::move(result));  // nullopt: the password could not be checked
                    },
                    std::move(unanswered));
}

void SessionApi::log_in(const HttpRequest& request, const LocalServer::Respond& respond) {
  const auto j = body_object(request);
  const auto id = text_field(j, "account", true);
  auto password = text_field(j, "password", true);
  auto answer_to = std::make_shared<HttpRequest>(request);
  verify_password(id, std::move(password), [this, id, answer_to, respond](std::optional<LoginResult> checked) {
    const auto& asked = *answer_to;
    if (!checked) return respond(not_checked(asked));
    const auto& result = *checked;
    c_.audit(id, result.outcome == LoginOutcome::Ok ? "session.opened" : "session.refused", std::string(to_string(result.outcome)), "");
    switch (result.outcome) {
      case LoginOutcome::Ok: {
        const auto& s = c_.sessions.open(*result.account, Sessions::Clock::now());
        json answer = session_json(s);
        answer["csrf"] = s.csrf;  // sent back in X-CSRF-Token with every change
        auto response = ok(asked, answer);
        response.set(http::field::set_cookie, session_cookie(s.token));
        return respond(std::move(response));
      }
      case LoginOutcome::Locked: {
        const auto minutes = std::to_string(c_.lockout_minutes);
        return respond(error(asked, http::status::too_many_requests,
                             "too many wrong passwords: the account is locked for " + minutes +
                                 " minutes, or until a supervisor sets a new password",
                             {"error.login.locked", {{"minutes", minutes}}}));
      }
      case LoginOutcome::Disabled:
        return respond(error(asked, http::status::forbidden, "this account is disabled; ask a supervisor", {"error.login.disabled"}));
      default:
        return respond(error(asked, http::status::unauthorized, "wrong account or password", {"error.login.wrong"}));
    }
  }, answer_failure(answer_to, respond, "the log-in"));  // the session or its answer could not be made
}

// Each person reads the pages in their own language, kept with the account.
HttpResponse SessionApi::set_language(const HttpRequest& request) {
  const auto j = body_object(request);
  Session* s = nullptr;
  if (auto refusal = refuse_unless_logged_in(request, s)) return std::move(*refusal);
  const auto language = text_field(j, "language", true);
  if (!known_language(language)) throw BadRequest("language must be es, pt, en or fr");
  if (c_.store_problem().empty()) c_.accounts.set_language(s->account, language);
  s->language = language;
  return ok(request, session_json(*s));
}

// A session locked after inactivity opens again with the same person's password.
void SessionApi::unlock(const HttpRequest& request, const LocalServer::Respond& respond) {
  const auto token = session_token(request);
  const auto [state, s] = c_.sessions.touch(token, Sessions::Clock::now());
  if (state == Sessions::State::Missing) return respond(not_logged_in(request));
  if (!csrf_ok(request, *s)) return respond(csrf_refused(request));
  auto password = text_field(body_object(request), "password", true);
  const auto account = s->account;
  auto answer_to = std::make_shared<HttpRequest>(request);
  verify_password(account, std::move(password), [this, token, account, answer_to, respond](std::optional<LoginResult> checked) {
    if (!checked) return respond(not_checked(*answer_to));
    const auto& result = *checked;
    if (result.outcome != LoginOutcome::Ok) {
      c_.audit(account, "session.unlock-refused", std::string(to_string(result.outcome)), "");
      if (result.outcome != LoginOutcome::WrongPassword) c_.sessions.close(token);
      return respond(error(*answer_to, http::status::unauthorized, "wrong password", {"error.login.wrong_password"}));
    }
    c_.sessions.unlock(token, Sessions::Clock::now());
    const auto [now, session] = c_.sessions.touch(token, Sessions::Clock::now());
    if (!session)
      return respond(error(*answer_to, http::status::unauthorized, "the session ended meanwhile: log in again", {"error.session.missing"}));
    respond(ok(*answer_to, session_json(*session)));
  }, answer_failure(answer_to, respond, "unlocking the session"));
}

// Every API call but logging in needs a person: a valid session (not locked), an account still
// enabled, and for a change the session's CSRF token in the X-CSRF-Token header.
std::optional<HttpResponse> SessionApi::refuse_unless_logged_in(const HttpRequest& request, Session*& session) {
  const auto token = session_token(request);
  // A page polling on its own (X-Borderpost-Poll) is not the person at it.
  const auto activity = request.find(kPollHeader) == request.end() ? Sessions::Activity::Person : Sessions::Activity::Background;
  const auto [state, s] = c_.sessions.touch(token, Sessions::Clock::now(), activity);
  if (state == Sessions::State::Missing)
    return error(request, http::status::unauthorized, "log in first (POST /api/session)", {"error.session.missing"});
  if (state == Sessions::State::Locked)
    return error(request, http::status::locked, "the session is locked after inactivity: enter the password again", {"error.session.locked"});
  const auto account = c_.accounts.find(s->account);
  if (!account || account->disabled) {
    c_.sessions.close(token);
    return error(request, http::status::unauthorized, "this account is no longer enabled", {"error.session.disabled"});
  }
  if (request.method() != http::verb::get && !csrf_ok(request, *s)) return csrf_refused(request);
  session = s;
  return std::nullopt;
}

Session* SessionApi::feed_session(const HttpRequest& opened_by) {
  const auto [state, s] = c_.sessions.touch(session_token(opened_by), Sessions::Clock::now(), Sessions::Activity::Background);
  return state == Sessions::State::Valid ? s : nullptr;
}

}  // namespace borderpost::station
