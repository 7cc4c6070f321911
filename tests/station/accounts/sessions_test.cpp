// Log-in sessions: random tokens, the lock after inactivity, the end after a shift, cookies.
#include <doctest/doctest.h>

#include "accounts/sessions.hpp"

using namespace borderpost::station;
using namespace std::chrono_literals;

namespace {

Account inspector() {
  Account a;
  a.id = "insp-07";
  a.name = "Ana";
  a.language = "pt";
  return a;
}

}  // namespace

TEST_CASE("a session is valid while used, locks after the idle time, and unlocks with the identity kept") {
  Sessions sessions(10min, 12h);
  const auto t0 = Sessions::Clock::time_point{} + 1h;
  const auto token = sessions.open(inspector(), t0).token;
  CHECK(token.size() == 64);
  auto [state, s] = sessions.touch(token, t0 + 9min);
  CHECK(state == Sessions::State::Valid);
  CHECK(s->account == "insp-07");
  CHECK(sessions.touch(token, t0 + 18min).first == Sessions::State::Valid);  // 9 minutes after the last use
  CHECK(sessions.touch(token, t0 + 29min).first == Sessions::State::Locked);
  CHECK(sessions.touch(token, t0 + 29min).first == Sessions::State::Locked);  // stays locked
  sessions.unlock(token, t0 + 30min);
  const auto [again, same] = sessions.touch(token, t0 + 31min);
  CHECK(again == Sessions::State::Valid);
  CHECK(same->language == "pt");
}

TEST_CASE("a page's polling does not hold off the lock: only a person's requests count as activity") {
  Sessions sessions(10min, 12h);
  const auto t0 = Sessions::Clock::time_point{} + 1h;
  const auto token = sessions.open(inspector(), t0).token;
  for (auto t = t0 + 1min; t < t0 + 10min; t += 1min)
    CHECK(sessions.touch(token, t, Sessions::Activity::Background).first == Sessions::State::Valid);
  CHECK(sessions.touch(token, t0 + 11min, Sessions::Activity::Background).first == Sessions::State::Locked);
  CHECK(sessions.touch(token, t0 + 11min).first == Sessions::State::Locked);  // and a person then finds it locked
}

TEST_CASE("a session ends after the shift length, and closing an account's sessions ends them all") {
  Sessions sessions(10min, 12h);
  const auto t0 = Sessions::Clock::time_point{} + 1h;
  const auto first = sessions.open(inspector(), t0).token;
  for (auto t = t0; t < t0 + 12h; t += 5min) REQUIRE(sessions.touch(first, t).first == Sessions::State::Valid);
  CHECK(sessions.touch(first, t0 + 12h + 1min).first == Sessions::State::Missing);
  CHECK(sessions.size() == 0);
  const auto a = sessions.open(inspector(), t0).token;
  const auto b = sessions.open(inspector(), t0).token;
  CHECK(a != b);
  CHECK(sessions.open(inspector(), t0).csrf != sessions.open(inspector(), t0).csrf);
  sessions.close_account("insp-07");
  CHECK(sessions.touch(a, t0).first == Sessions::State::Missing);
  CHECK(sessions.touch(b, t0).first == Sessions::State::Missing);
  CHECK(sessions.touch("", t0).first == Sessions::State::Missing);
}

TEST_CASE("the session cookie is found among others in a Cookie header") {
  CHECK(cookie_value("bp_session=abc123", "bp_session") == "abc123");
  CHECK(cookie_value("theme=dark; bp_session=abc123; lang=es", "bp_session") == "abc123");
  CHECK(cookie_value("xbp_session=evil; bp_session=good", "bp_session") == "good");
  CHECK(cookie_value("theme=dark", "bp_session") == "");
  CHECK(cookie_value("", "bp_session") == "");
  CHECK(cookie_value("bp_session", "bp_session") == "");
}
