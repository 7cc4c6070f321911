// What the station's command groups share: where the database is, error handling, the actor
// named in audit entries.
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "sync_cli/guarded.hpp"

namespace borderpost::station::cli {

struct Where {
  std::string config = "config/station.toml";
  std::string db;   // overrides the configuration's data directory
  std::string key;  // signing.key for signature checks; default from the configuration
};

void add_where(CLI::App* cmd, Where& where);

// "cli:USER": who ran a command, for the audit trail.
std::string actor();

using sync::cli::guarded;  // an exception becomes "borderpost WHAT: reason" and exit status 1 (or the code given)

// `borderpost users ...`: the post's accounts. Passwords are read from `in` (prompted without
// echo when it is a terminal), never from the command line.
void add_users_commands(CLI::App& app, std::istream& in, std::ostream& out, std::ostream& err, int& exit_code);

// `borderpost chip read` and `borderpost trust import|list`: ePassport chips and the CSCA store.
void add_chip_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code);

// `borderpost inspect`: the MRZ and optical security checks on page images from files.
void add_inspect_command(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code);

}  // namespace borderpost::station::cli
