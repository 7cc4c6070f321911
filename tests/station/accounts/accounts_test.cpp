// Personal accounts: Argon2id hashes, roles, lock-out after repeated failures, disabling.
#include <doctest/doctest.h>

#include <filesystem>

#include "accounts/accounts.hpp"
#include "store/store.hpp"
#include "sync/crypto.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace borderpost::station;
using namespace std::chrono_literals;

constexpr PasswordCost kCheap{1, 256, 1};  // tests only: the daemon's default takes 64 MiB

struct Post {
  borderpost::test::TempDir dir{"accounts"};
  std::unique_ptr<Store> store = std::make_unique<Store>(dir / "station.db");
  std::unique_ptr<Accounts> accounts = std::make_unique<Accounts>(store->db(), kCheap);
};

const auto kNoon = std::chrono::system_clock::time_point(std::chrono::seconds(1'795'435'200));  // 2026-11-23 12:00 UTC

}  // namespace

TEST_CASE("a password is kept as a salted Argon2id hash that only the password matches") {
  const auto encoded = hash_password("correct horse battery", kCheap);
  CHECK(encoded.rfind("$argon2id$v=19$m=256,t=1,p=1$", 0) == 0);
  CHECK(encoded.find("correct horse") == std::string::npos);
  CHECK(password_matches(encoded, "correct horse battery"));
  CHECK_FALSE(password_matches(encoded, "correct horse batterY"));
  CHECK_FALSE(password_matches(encoded, ""));
  CHECK(hash_password("correct horse battery", kCheap) != encoded);  // a fresh salt each time
  CHECK_FALSE(password_matches("not an encoded hash", "correct horse battery"));
}

TEST_CASE("roles are ranked and named") {
  CHECK(at_least(Role::Administrator, Role::Supervisor));
  CHECK(at_least(Role::Supervisor, Role::Inspector));
  CHECK_FALSE(at_least(Role::Inspector, Role::Supervisor));
  for (Role r : {Role::Inspector, Role::Supervisor, Role::Administrator}) CHECK(role_named(to_string(r)) == r);
  CHECK_FALSE(role_named("root"));
}

TEST_CASE("accounts are created with checked ids, names, passwords and languages, and listed") {
  Post post;
  const auto admin = post.accounts->add("admin", "Rosa Quispe", Role::Administrator, "a long passphrase", "es");
  CHECK(admin.role == Role::Administrator);
  CHECK(admin.created_at.size() == 24);
  post.accounts->add("insp-07", "Ana María Ramírez", Role::Inspector, "another passphrase", "pt");
  CHECK(post.accounts->count() == 2);
  const auto listed = post.accounts->list();
  REQUIRE(listed.size() == 2);
  CHECK(listed[1].id == "insp-07");
  CHECK(listed[1].name == "Ana María Ramírez");
  CHECK(listed[1].language == "pt");
  CHECK_THROWS_WITH_AS(post.accounts->add("insp-07", "X", Role::Inspector, "a long passphrase"), doctest::Contains("taken"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(post.accounts->add("insp 08", "X", Role::Inspector, "a long passphrase"), doctest::Contains("account id"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(post.accounts->add("insp-08", "X", Role::Inspector, "short"), doctest::Contains("at least 10"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(post.accounts->add("insp-08", "X", Role::Inspector, "a long passphrase", "de"), doctest::Contains("language"),
                       std::invalid_argument);
  CHECK_THROWS_AS(post.accounts->add("insp-08", "", Role::Inspector, "a long passphrase"), std::invalid_argument);
  CHECK(post.accounts->count() == 2);
  borderpost::sync::sqlite::Statement raw(post.store->db(), "SELECT password FROM accounts WHERE id = 'insp-07'");
  REQUIRE(raw.step());
  CHECK(raw.text(0).find("another passphrase") == std::string::npos);
}

TEST_CASE("five wrong passwords lock the account for fifteen minutes, even against the right one") {
  Post post;
  post.accounts->add("insp-07", "Ana", Role::Inspector, "the right passphrase");
  CHECK(post.accounts->login("insp-07", "the right passphrase", kNoon).outcome == LoginOutcome::Ok);
  for (int i = 0; i < 4; ++i) CHECK(post.accounts->login("insp-07", "a wrong guess", kNoon).outcome == LoginOutcome::WrongPassword);
  CHECK(post.accounts->find("insp-07")->failed_logins == 4);
  const auto locked = post.accounts->login("insp-07", "a wrong guess", kNoon);
  CHECK(locked.outcome == LoginOutcome::Locked);
  CHECK(locked.locked_until == std::chrono::duration_cast<std::chrono::seconds>((kNoon + 15min).time_since_epoch()).count());
  CHECK(post.accounts->login("insp-07", "the right passphrase", kNoon + 14min).outcome == LoginOutcome::Locked);
  const auto back = post.accounts->login("insp-07", "the right passphrase", kNoon + 16min);
  REQUIRE(back.outcome == LoginOutcome::Ok);
  REQUIRE(back.account);
  CHECK(back.account->id == "insp-07");
  CHECK(back.account->failed_logins == 0);
  CHECK(back.account->locked_until == 0);
}

TEST_CASE("a success resets the count, and a failure after an expired lock starts a fresh one") {
  Post post;
  post.accounts->add("insp-07", "Ana", Role::Inspector, "the right passphrase");
  for (int i = 0; i < 4; ++i) post.accounts->login("insp-07", "a wrong guess", kNoon);
  CHECK(post.accounts->login("insp-07", "the right passphrase", kNoon).outcome == LoginOutcome::Ok);
  for (int i = 0; i < 4; ++i) CHECK(post.accounts->login("insp-07", "a wrong guess", kNoon).outcome == LoginOutcome::WrongPassword);
  CHECK(post.accounts->login("insp-07", "a wrong guess", kNoon).outcome == LoginOutcome::Locked);
  CHECK(post.accounts->login("insp-07", "a wrong guess", kNoon + 20min).outcome == LoginOutcome::WrongPassword);
  CHECK(post.accounts->find("insp-07")->failed_logins == 1);
}

TEST_CASE("a disabled or unknown account cannot log in, and a new password unlocks") {
  Post post;
  post.accounts->add("insp-07", "Ana", Role::Inspector, "the right passphrase");
  post.accounts->set_disabled("insp-07", true);
  CHECK(post.accounts->login("insp-07", "the right passphrase", kNoon).outcome == LoginOutcome::Disabled);
  post.accounts->set_disabled("insp-07", false);
  CHECK(post.accounts->login("nobody", "the right passphrase", kNoon).outcome == LoginOutcome::Unknown);
  for (int i = 0; i < 5; ++i) post.accounts->login("insp-07", "a wrong guess", kNoon);
  CHECK(post.accounts->login("insp-07", "the right passphrase", kNoon).outcome == LoginOutcome::Locked);
  post.accounts->set_password("insp-07", "a brand new passphrase");  // the supervisor's reset
  CHECK(post.accounts->login("insp-07", "the right passphrase", kNoon).outcome == LoginOutcome::WrongPassword);
  CHECK(post.accounts->login("insp-07", "a brand new passphrase", kNoon).outcome == LoginOutcome::Ok);
  post.accounts->set_language("insp-07", "fr");
  CHECK(post.accounts->find("insp-07")->language == "fr");
  CHECK_THROWS_WITH_AS(post.accounts->set_password("nobody", "a brand new passphrase"), doctest::Contains("no account nobody"),
                       std::invalid_argument);
  CHECK_THROWS_AS(post.accounts->set_disabled("nobody", true), std::invalid_argument);
  CHECK_THROWS_AS(post.accounts->set_password("insp-07", "short"), std::invalid_argument);
}

TEST_CASE("a log-in in steps checks the password apart from the database and gives the same outcomes") {
  Post post;
  post.accounts->add("insp-07", "Rosa Quispe", Role::Inspector, "the right passphrase");
  auto attempt = post.accounts->begin_login("insp-07", kNoon);
  CHECK_FALSE(attempt.settled);
  CHECK(attempt.encoded.rfind("$argon2id$", 0) == 0);
  CHECK(post.accounts->finish_login(attempt, check_password(attempt, "the right passphrase"), kNoon).outcome == LoginOutcome::Ok);
  attempt = post.accounts->begin_login("insp-07", kNoon);
  CHECK(post.accounts->finish_login(attempt, check_password(attempt, "wrong"), kNoon).outcome == LoginOutcome::WrongPassword);
  CHECK(post.accounts->find("insp-07")->failed_logins == 1);
  // The password changed while the old one was being checked: the old one does not open the account.
  attempt = post.accounts->begin_login("insp-07", kNoon);
  const bool matched = check_password(attempt, "the right passphrase");
  post.accounts->set_password("insp-07", Accounts::Hashed{hash_password("a brand new passphrase", kCheap)});
  CHECK(post.accounts->finish_login(attempt, matched, kNoon).outcome == LoginOutcome::WrongPassword);
  // Unknown ids still cost a hash, and never open.
  attempt = post.accounts->begin_login("nobody", kNoon);
  CHECK(attempt.encoded.empty());
  CHECK_FALSE(check_password(attempt, "the right passphrase"));
  CHECK(post.accounts->finish_login(attempt, true, kNoon).outcome == LoginOutcome::Unknown);
  post.accounts->set_disabled("insp-07", true);
  attempt = post.accounts->begin_login("insp-07", kNoon);
  REQUIRE(attempt.settled);
  CHECK(attempt.settled->outcome == LoginOutcome::Disabled);
  CHECK_THROWS_AS(post.accounts->set_password("insp-07", Accounts::Hashed{"plain text"}), std::invalid_argument);
}
