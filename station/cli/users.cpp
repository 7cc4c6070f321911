// `borderpost users add|list|passwd|disable|enable`: the post's accounts, from the command line
// (the first administrator is made here, before anyone can log in to the pages).
#include <filesystem>
#include <iostream>

#include <termios.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "accounts/accounts.hpp"
#include "config/config.hpp"
#include "store/store.hpp"
#include "support.hpp"

namespace borderpost::station::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The station database the accounts live in, and the password cost the configuration sets (the
// default with --db); `create` makes the database on first use (the first administrator is added
// before the station first runs).
struct AccountsPlace {
  std::string db;
  PasswordCost cost;
};

AccountsPlace accounts_place(const Where& where, bool create = false) {
  AccountsPlace place{where.db, {}};
  if (place.db.empty()) {
    const auto config = load_station_config(where.config);
    if (create) fs::create_directories(config.data_dir);
    place.db = (fs::path(config.data_dir) / "station.db").string();
    place.cost = config.accounts.cost();
  }
  if (!create && !fs::exists(place.db)) throw std::runtime_error("no station database at " + place.db + " (add an account first)");
  return place;
}

// Echo off while a person types a password at a terminal.
class HiddenInput {
 public:
  HiddenInput() : active_(::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &saved_) == 0) {
    if (!active_) return;
    termios quiet = saved_;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  ~HiddenInput() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  HiddenInput(const HiddenInput&) = delete;
  HiddenInput& operator=(const HiddenInput&) = delete;
  bool active() const { return active_; }

 private:
  termios saved_{};
  bool active_;
};

std::string read_line(std::istream& in) {
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error("no password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// From a terminal: asked twice without echo. Otherwise: the first line of standard input.
std::string read_new_password(std::istream& in, std::ostream& err, const std::string& id) {
  const bool terminal = &in == &std::cin && ::isatty(STDIN_FILENO) == 1;
  if (!terminal) return read_line(in);
  HiddenInput hidden;
  err << "New password for " << id << ": " << std::flush;
  const auto first = read_line(in);
  err << "\nAgain: " << std::flush;
  const auto second = read_line(in);
  err << "\n";
  if (first != second) throw std::runtime_error("the two passwords differ; nothing was changed");
  return first;
}

json account_json(const Account& a) {
  return {{"id", a.id}, {"name", a.name}, {"role", to_string(a.role)}, {"language", a.language}, {"disabled", a.disabled},
          {"locked_until", a.locked_until}, {"created_at", a.created_at}};
}

}  // namespace

void add_users_commands(CLI::App& app, std::istream& in, std::ostream& out, std::ostream& err, int& exit_code) {
  auto* users = app.add_subcommand("users", "The post's accounts: inspectors, supervisors, administrators");
  users->require_subcommand(1);

  struct AddArgs {
    Where where;
    std::string id, name, role, language = "es";
  };
  auto add_args = std::make_shared<AddArgs>();
  auto* add = users->add_subcommand("add", "Create an account; the password is read from standard input (asked twice at a terminal)");
  add_where(add, add_args->where);
  add->add_option("--id", add_args->id, "Account id, printed on every movement the person records (e.g. insp-07)")->required();
  add->add_option("--name", add_args->name, "The person's full name")->required();
  add->add_option("--role", add_args->role, "inspector, supervisor or administrator")
      ->required()
      ->check(CLI::IsMember({"inspector", "supervisor", "administrator"}));
  add->add_option("--language", add_args->language, "es, pt, en or fr")->check(CLI::IsMember({"es", "pt", "en", "fr"}))->capture_default_str();
  add->callback(guarded(err, exit_code, "users add", [add_args, &in, &out, &err] {
    const auto place = accounts_place(add_args->where, true);
    Store store(place.db);
    Accounts accounts(store.db(), place.cost);
    if (accounts.find(add_args->id)) throw std::invalid_argument("the account id " + add_args->id + " is taken");
    const auto password = read_new_password(in, err, add_args->id);
    const auto account = accounts.add(add_args->id, add_args->name, *role_named(add_args->role), password, add_args->language);
    store.audit(actor(), "account.added", account.id, std::string(to_string(account.role)));
    out << "account " << account.id << " (" << to_string(account.role) << ") created\n";
    return 0;
  }));

  struct ListArgs {
    Where where;
    bool json = false;
  };
  auto list_args = std::make_shared<ListArgs>();
  auto* list = users->add_subcommand("list", "The accounts, with their role, language and state");
  add_where(list, list_args->where);
  list->add_flag("--json", list_args->json, "JSON for machines");
  list->callback(guarded(err, exit_code, "users list", [list_args, &out] {
    Store store(accounts_place(list_args->where).db);
    const auto all = Accounts(store.db()).list();
    if (list_args->json) {
      json j = json::array();
      for (const auto& a : all) j.push_back(account_json(a));
      out << j.dump(2) << "\n";
      return 0;
    }
    out << all.size() << " account(s)\n";
    for (const auto& a : all)
      out << "  " << a.id << "  " << to_string(a.role) << "  " << a.language << "  " << a.name << (a.disabled ? "  [disabled]" : "") << "\n";
    return 0;
  }));

  struct OneArgs {
    Where where;
    std::string id;
  };
  auto passwd_args = std::make_shared<OneArgs>();
  auto* passwd = users->add_subcommand("passwd", "Set a new password (and lift a lock-out); read from standard input");
  add_where(passwd, passwd_args->where);
  passwd->add_option("id", passwd_args->id, "Account id")->required();
  passwd->callback(guarded(err, exit_code, "users passwd", [passwd_args, &in, &out, &err] {
    const auto place = accounts_place(passwd_args->where);
    Store store(place.db);
    Accounts accounts(store.db(), place.cost);
    if (!accounts.find(passwd_args->id)) throw std::invalid_argument("no account " + passwd_args->id);
    accounts.set_password(passwd_args->id, read_new_password(in, err, passwd_args->id));
    store.audit(actor(), "account.password-set", passwd_args->id, "");
    out << "password of " << passwd_args->id << " changed\n";
    return 0;
  }));

  for (const bool disable : {true, false}) {
    auto args = std::make_shared<OneArgs>();
    auto* cmd = users->add_subcommand(disable ? "disable" : "enable", disable ? "Stop an account from logging in" : "Let a disabled account log in again");
    add_where(cmd, args->where);
    cmd->add_option("id", args->id, "Account id")->required();
    cmd->callback(guarded(err, exit_code, disable ? "users disable" : "users enable", [args, disable, &out] {
      Store store(accounts_place(args->where).db);
      Accounts(store.db()).set_disabled(args->id, disable);
      store.audit(actor(), disable ? "account.disabled" : "account.enabled", args->id, "");
      out << "account " << args->id << (disable ? " disabled\n" : " enabled\n");
      return 0;
    }));
  }
}

}  // namespace borderpost::station::cli
