// Log-in sessions of the local API: a random token in an HttpOnly cookie, a second random token
// the pages send back in a header on every change (CSRF), a lock after inactivity (the person
// types the password again, the identity stays), and an end after a shift's length. In memory:
// a restart of the daemon logs everyone out.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "accounts/accounts.hpp"

namespace borderpost::station {

struct Session {
  std::string token, csrf;
  std::string account, name, language;
  Role role = Role::Inspector;
  std::chrono::steady_clock::time_point started, last_seen;
  bool locked = false;
};

class Sessions {
 public:
  using Clock = std::chrono::steady_clock;
  Sessions(std::chrono::minutes idle_lock, std::chrono::minutes max_length) : idle_lock_(idle_lock), max_length_(max_length) {}

  const Session& open(const Account& account, Clock::time_point now);
  enum class State { Valid, Locked, Missing };
  // The session of `token`: Missing when unknown or past its length, Locked when idle too long
  // (it stays locked until unlock()). A person's request counts as activity; a page's own polling
  // and the event feed (Activity::Background) do not, or a desk left open would never lock.
  enum class Activity { Person, Background };
  std::pair<State, Session*> touch(const std::string& token, Clock::time_point now, Activity activity = Activity::Person);
  void unlock(const std::string& token, Clock::time_point now);
  void close(const std::string& token);
  void close_account(const std::string& account);  // disabled, or its password reset
  std::size_t size() const { return sessions_.size(); }

 private:
  std::chrono::minutes idle_lock_, max_length_;
  std::map<std::string, Session> sessions_;
};

// A random token of 32 bytes, hex.
std::string random_token();

// The value of one cookie in a Cookie header, or "".
std::string cookie_value(std::string_view header, std::string_view name);

}  // namespace borderpost::station
