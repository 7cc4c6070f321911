// The post's personal accounts: inspectors, supervisors and administrators. Passwords are kept
// only as Argon2id hashes (memory-hard, so a stolen database does not give them away cheaply);
// repeated failures lock an account for a while. The table lives in the station's database.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sqlite3.h>

#include "phrase/phrase.hpp"

namespace borderpost::station {

// Ranked: each role may do what the roles below it may.
enum class Role { Inspector, Supervisor, Administrator };
std::string_view to_string(Role role);
std::optional<Role> role_named(std::string_view name);
inline bool at_least(Role role, Role needed) { return static_cast<int>(role) >= static_cast<int>(needed); }

// The languages the pages speak.
inline constexpr std::string_view kLanguages[] = {"es", "pt", "en", "fr"};
bool known_language(std::string_view code);

// Argon2id cost. The defaults take a fraction of a second on a workstation (RFC 9106's second
// recommended option, with one lane); tests use a cheaper one.
struct PasswordCost {
  std::uint32_t passes = 3;
  std::uint32_t memory_kib = 64 * 1024;
  std::uint32_t lanes = 1;
};

std::string hash_password(std::string_view password, const PasswordCost& cost = {});  // the encoded $argon2id$... form
bool password_matches(const std::string& encoded, std::string_view password);
// Why a new password is refused, or nothing (length 10 to 128).
Said password_problem(std::string_view password);
// Why an account id is refused, or nothing (1-64 letters, digits, '.', '_' or '-'; it goes on every movement).
Said account_id_problem(std::string_view id);

struct Account {
  std::string id, name;
  Role role = Role::Inspector;
  std::string language = "es";
  bool disabled = false;
  int failed_logins = 0;
  std::int64_t locked_until = 0;  // Unix seconds; 0 when not locked
  std::string created_at;         // UTC
};

struct LockoutPolicy {
  int failures = 5;                           // consecutive wrong passwords that lock the account
  std::chrono::seconds lock_for = std::chrono::minutes(15);
};

enum class LoginOutcome { Ok, WrongPassword, Locked, Disabled, Unknown };
std::string_view to_string(LoginOutcome outcome);

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::Unknown;
  std::optional<Account> account;  // on Ok
  std::int64_t locked_until = 0;   // on Locked (and on the failure that locked it)
};

// A log-in in three steps, so that the slow, memory-hard password check can run on another thread
// than the one owning the database: begin_login (database) -> check_password (pure, any thread)
// -> finish_login (database).
struct LoginAttempt {
  std::string id;
  std::optional<LoginResult> settled;  // disabled, locked or unknown: no password check decides it
  std::string encoded;                 // the stored hash; "" for an unknown id
  PasswordCost cost;                   // an unknown id costs one hash of this cost, as a known one would
};
bool check_password(const LoginAttempt& attempt, std::string_view password);

class Accounts {
 public:
  // `db` stays the caller's: the station database, migrated to a schema with the accounts table.
  explicit Accounts(sqlite3* db, PasswordCost cost = {}, LockoutPolicy policy = {});

  // Throws std::invalid_argument with the reason (id taken or malformed, weak password, ...).
  Account add(const std::string& id, const std::string& name, Role role, const std::string& password,
              const std::string& language = "es");
  // A wrong password counts towards the lock; a right one resets the count. Unknown ids cost the
  // same time as known ones, so the answer time does not tell which ids exist.
  LoginResult login(const std::string& id, std::string_view password, std::chrono::system_clock::time_point now);
  LoginAttempt begin_login(const std::string& id, std::chrono::system_clock::time_point now) const;
  LoginResult finish_login(const LoginAttempt& attempt, bool password_matched, std::chrono::system_clock::time_point now);
  // The same changes with a hash made beforehand by hash_password (on a worker thread).
  struct Hashed {
    std::string encoded;
  };
  Account add(const std::string& id, const std::string& name, Role role, const Hashed& password, const std::string& language = "es");
  void set_password(const std::string& id, const Hashed& password);
  const PasswordCost& cost() const { return cost_; }
  void set_password(const std::string& id, const std::string& password);  // and unlocks
  void set_disabled(const std::string& id, bool disabled);
  void set_language(const std::string& id, const std::string& language);
  std::optional<Account> find(const std::string& id) const;
  std::vector<Account> list() const;
  std::size_t count() const;

 private:
  std::string password_hash(const std::string& id) const;
  sqlite3* db_;
  PasswordCost cost_;
  LockoutPolicy policy_;
};

}  // namespace borderpost::station
