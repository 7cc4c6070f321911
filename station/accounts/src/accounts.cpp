// Accounts: Argon2id password hashes (libargon2), lock-out after repeated failures.
#include "accounts/accounts.hpp"

#include <algorithm>
#include <stdexcept>

#include <argon2.h>
#include <openssl/rand.h>

#include "sync/record.hpp"
#include "sync/sqlite.hpp"

namespace borderpost::station {
namespace {

using sync::sqlite::Statement;

constexpr std::size_t kSaltBytes = 16, kHashBytes = 32;

constexpr const char* kAccountColumns = "id, name, role, language, disabled, failed_logins, locked_until, created_at";

Account account_from_row(const Statement& row) {
  Account a;
  a.id = row.text(0);
  a.name = row.text(1);
  a.role = role_named(row.text(2)).value_or(Role::Inspector);
  a.language = row.text(3);
  a.disabled = row.integer(4) != 0;
  a.failed_logins = static_cast<int>(row.integer(5));
  a.locked_until = row.integer(6);
  a.created_at = row.text(7);
  return a;
}

std::int64_t unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void require_changed(sqlite3* db, const std::string& id) {
  if (sqlite3_changes(db) == 0) throw std::invalid_argument("no account " + id);
}

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::Inspector: return "inspector";
    case Role::Supervisor: return "supervisor";
    case Role::Administrator: return "administrator";
  }
  return "inspector";
}

std::optional<Role> role_named(std::string_view name) {
  for (Role r : {Role::Inspector, Role::Supervisor, Role::Administrator})
    if (to_string(r) == name) return r;
  return std::nullopt;
}

bool known_language(std::string_view code) { return std::ranges::find(kLanguages, code) != std::end(kLanguages); }

std::string_view to_string(LoginOutcome outcome) {
  switch (outcome) {
    case LoginOutcome::Ok: return "ok";
    case LoginOutcome::WrongPassword: return "wrong-password";
    case LoginOutcome::Locked: return "locked";
    case LoginOutcome::Disabled: return "disabled";
    case LoginOutcome::Unknown: return "unknown";
  }
  return "unknown";
}

std::string hash_password(std::string_view password, const PasswordCost& cost) {
  unsigned char salt[kSaltBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) throw std::runtime_error("no randomness for a password salt");
  std::string encoded(argon2_encodedlen(cost.passes, cost.memory_kib, cost.lanes, kSaltBytes, kHashBytes, Argon2_id), '\0');
  const int rc = argon2id_hash_encoded(cost.passes, cost.memory_kib, cost.lanes, password.data(), password.size(), salt, sizeof salt,
                                       kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) throw std::runtime_error(std::string("password hashing failed: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool password_matches(const std::string& encoded, std::string_view password) {
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

Said password_problem(std::string_view password) {
  if (password.size() < 10) return said("a password needs at least 10 characters", "error.accounts.password_short", {{"n", "10"}});
  if (password.size() > 128) return said("a password has at most 128 characters", "error.accounts.password_long", {{"n", "128"}});
  return {};
}

Said account_id_problem(std::string_view id) {
  const bool shaped = !id.empty() && id.size() <= 64 && std::ranges::all_of(id, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
  if (shaped) return {};
  return said("an account id is 1-64 letters, digits, '.', '_' or '-'", "error.accounts.bad_id");
}

Accounts::Accounts(sqlite3* db, PasswordCost cost, LockoutPolicy policy) : db_(db), cost_(cost), policy_(policy) {}

Account Accounts::add(const std::string& id, const std::string& name, Role role, const std::string& password, const std::string& language) {
  if (auto problem = account_id_problem(id); !problem.empty()) throw std::invalid_argument(problem.english);
  if (auto problem = password_problem(password); !problem.empty()) throw std::invalid_argument(problem.english);
  return add(id, name, role, Hashed{hash_password(password, cost_)}, language);
}

Account Accounts::add(const std::string& id, const std::string& name, Role role, const Hashed& password, const std::string& language) {
  if (auto problem = account_id_problem(id); !problem.empty()) throw std::invalid_argument(problem.english);
  if (name.empty() || name.size() > 200) throw std::invalid_argument("the name must be 1-200 characters");
  if (!known_language(language)) throw std::invalid_argument("language must be es, pt, en or fr");
  if (password.encoded.rfind("$argon2id$", 0) != 0) throw std::invalid_argument("the password hash is not an Argon2id hash");
  if (find(id)) throw std::invalid_argument("the account id " + id + " is taken");
  Statement insert(db_, "INSERT INTO accounts(id, name, role, language, password, created_at) VALUES (?,?,?,?,?,?)");
  insert.bind(1, id).bind(2, name).bind(3, to_string(role)).bind(4, language).bind(5, password.encoded);
  insert.bind(6, sync::now().utc).run();
  return *find(id);
}

std::string Accounts::password_hash(const std::string& id) const {
  Statement q(db_, "SELECT password FROM accounts WHERE id = ?");
  q.bind(1, id);
  return q.step() ? q.text(0) : std::string();
}

bool check_password(const LoginAttempt& attempt, std::string_view password) {
  if (attempt.settled) return false;
  if (attempt.encoded.empty()) {
    hash_password(password, attempt.cost);  // the time a known id would take
    return false;
  }
  return password_matches(attempt.encoded, password);
}

LoginResult Accounts::login(const std::string& id, std::string_view password, std::chrono::system_clock::time_point now) {
  const auto attempt = begin_login(id, now);
  return finish_login(attempt, check_password(attempt, password), now);
}

LoginAttempt Accounts::begin_login(const std::string& id, std::chrono::system_clock::time_point now) const {
  LoginAttempt attempt{id, std::nullopt, "", cost_};
  const auto account = find(id);
  if (!account) return attempt;
  if (account->disabled) {
    attempt.settled = LoginResult{LoginOutcome::Disabled, std::nullopt, 0};
  } else if (account->locked_until > unix_seconds(now)) {
    attempt.settled = LoginResult{LoginOutcome::Locked, std::nullopt, account->locked_until};
  } else {
    attempt.encoded = password_hash(id);
  }
  return attempt;
}

LoginResult Accounts::finish_login(const LoginAttempt& attempt, bool password_matched, std::chrono::system_clock::time_point now) {
  if (attempt.settled) return *attempt.settled;
  const auto account = find(attempt.id);
  if (attempt.encoded.empty() || !account) return {LoginOutcome::Unknown, std::nullopt, 0};
  // Changed while the password was being checked: the checked hash is no longer the account's.
  if (account->disabled) return {LoginOutcome::Disabled, std::nullopt, 0};
  if (password_hash(attempt.id) != attempt.encoded) return {LoginOutcome::WrongPassword, std::nullopt, 0};
  const auto& id = attempt.id;
  const auto at = unix_seconds(now);
  if (account->locked_until > at) return {LoginOutcome::Locked, std::nullopt, account->locked_until};
  // On a read-only disk (the station runs degraded) failures cannot be counted; people can still
  // log in to see the post's state.
  const bool can_count = sqlite3_db_readonly(db_, "main") == 0;
  if (password_matched) {
    auto fresh = *account;
    if (can_count && (fresh.failed_logins != 0 || fresh.locked_until != 0)) {
      Statement reset(db_, "UPDATE accounts SET failed_logins = 0, locked_until = 0 WHERE id = ?");
      reset.bind(1, id).run();
      fresh.failed_logins = 0;
      fresh.locked_until = 0;
    }
    return {LoginOutcome::Ok, fresh, 0};
  }
  if (!can_count) return {LoginOutcome::WrongPassword, std::nullopt, 0};
  // A lock that ran out starts a fresh count.
  const int failures = (account->locked_until != 0 ? 0 : account->failed_logins) + 1;
  const std::int64_t locked_until = failures >= policy_.failures ? at + policy_.lock_for.count() : 0;
  Statement count(db_, "UPDATE accounts SET failed_logins = ?, locked_until = ? WHERE id = ?");
  count.bind(1, std::int64_t{locked_until ? 0 : failures}).bind(2, locked_until).bind(3, id).run();
  return {locked_until ? LoginOutcome::Locked : LoginOutcome::WrongPassword, std::nullopt, locked_until};
}

void Accounts::set_password(const std::string& id, const std::string& password) {
  if (auto problem = password_problem(password); !problem.empty()) throw std::invalid_argument(problem.english);
  set_password(id, Hashed{hash_password(password, cost_)});
}

void Accounts::set_password(const std::string& id, const Hashed& password) {
  if (password.encoded.rfind("$argon2id$", 0) != 0) throw std::invalid_argument("the password hash is not an Argon2id hash");
  Statement q(db_, "UPDATE accounts SET password = ?, failed_logins = 0, locked_until = 0 WHERE id = ?");
  q.bind(1, password.encoded).bind(2, id).run();
  require_changed(db_, id);
}

void Accounts::set_disabled(const std::string& id, bool disabled) {
  Statement q(db_, "UPDATE accounts SET disabled = ? WHERE id = ?");
  q.bind(1, std::int64_t{disabled ? 1 : 0}).bind(2, id).run();
  require_changed(db_, id);
}

void Accounts::set_language(const std::string& id, const std::string& language) {
  if (!known_language(language)) throw std::invalid_argument("language must be es, pt, en or fr");
  Statement q(db_, "UPDATE accounts SET language = ? WHERE id = ?");
  q.bind(1, language).bind(2, id).run();
  require_changed(db_, id);
}

std::optional<Account> Accounts::find(const std::string& id) const {
  Statement q(db_, std::string("SELECT ").append(kAccountColumns).append(" FROM accounts WHERE id = ?").c_str());
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return account_from_row(q);
}

std::vector<Account> Accounts::list() const {
  Statement q(db_, std::string("SELECT ").append(kAccountColumns).append(" FROM accounts ORDER BY id").c_str());
  std::vector<Account> out;
  while (q.step()) out.push_back(account_from_row(q));
  return out;
}

std::size_t Accounts::count() const {
  Statement q(db_, "SELECT count(*) FROM accounts");
  q.step();
  return static_cast<std::size_t>(q.integer(0));
}

}  // namespace borderpost::station
