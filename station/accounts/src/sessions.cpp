#include "accounts/sessions.hpp"

#include <stdexcept>

#include <openssl/rand.h>

namespace borderpost::station {

std::string random_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for a session token");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) token.append({kHex[b >> 4], kHex[b & 15]});
  return token;
}

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    auto pair = header.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return "";
}

const Session& Sessions::open(const Account& account, Clock::time_point now) {
  Session s;
  s.token = random_token();
  s.csrf = random_token();
  s.account = account.id;
  s.name = account.name;
  s.language = account.language;
  s.role = account.role;
  s.started = s.last_seen = now;
  return sessions_[s.token] = std::move(s);
}

std::pair<Sessions::State, Session*> Sessions::touch(const std::string& token, Clock::time_point now, Activity activity) {
  const auto it = sessions_.find(token);
  if (token.empty() || it == sessions_.end()) return {State::Missing, nullptr};
  Session& s = it->second;
  if (now - s.started > max_length_) {
    sessions_.erase(it);
    return {State::Missing, nullptr};
  }
  if (s.locked || now - s.last_seen > idle_lock_) {
    s.locked = true;
    return {State::Locked, &s};
  }
  if (activity == Activity::Person) s.last_seen = now;
  return {State::Valid, &s};
}

void Sessions::unlock(const std::string& token, Clock::time_point now) {
  const auto it = sessions_.find(token);
  if (it == sessions_.end()) return;
  it->second.locked = false;
  it->second.last_seen = now;
}

void Sessions::close(const std::string& token) { sessions_.erase(token); }

void Sessions::close_account(const std::string& account) {
  std::erase_if(sessions_, [&](const auto& entry) { return entry.second.account == account; });
}

}  // namespace borderpost::station
