// What the station's command groups share: where the database is, error handling, the actor
// named in audit entries.
#pragma once

#include <exception>
#include <istream>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace borderpost::station::cli {

struct Where {
  std::string config = "config/station.toml";
  std::string db;   // overrides the configuration's data directory
  std::string key;  // signing.key for signature checks; default from the configuration
};

void add_where(CLI::App* cmd, Where& where);

// "cli:USER": who ran a command, for the audit trail.
std::string actor();

// Runs a command's body; an exception becomes "borderpost WHAT: reason" and exit status 1.
template <typename Body>
auto guarded(std::ostream& err, int& exit_code, const char* what, Body body) {
  return [&err, &exit_code, what, body] {
    try {
      exit_code = body();
    } catch (const std::exception& e) {
      err << "borderpost " << what << ": " << e.what() << "\n";
      exit_code = 1;
    }
  };
}

// `borderpost users ...`: the post's accounts. Passwords are read from `in` (prompted without
// echo when it is a terminal), never from the command line.
void add_users_commands(CLI::App& app, std::istream& in, std::ostream& out, std::ostream& err, int& exit_code);

}  // namespace borderpost::station::cli
