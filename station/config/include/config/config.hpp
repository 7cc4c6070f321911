// The station's configuration (config/station.toml): post identity, devices, data directory,
// inspection rules, local API and sync. Loading refuses a wrong option, type or path at start,
// naming the file, the line and the reason, so a post never runs on a half-understood file.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <map>
#include <string>
#include <vector>

#include "accounts/accounts.hpp"
#include "inspection/inspection.hpp"
#include "sync/crypto.hpp"

namespace borderpost::station {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RefusalReason {
  std::string code;   // "A" ... as the directorate's regulation numbers them
  std::string label;  // what the inspector reads
  std::map<std::string, std::string> labels;  // the label in other languages (es, pt, en, fr), when given
};

struct StationConfig {
  std::string file;  // where it was loaded from
  struct Post {
    std::string station_id;  // the CN of the post's certificates, e.g. "PE-TUMBES-01"
    std::string name;        // "Tumbes - CEBAF Aguas Verdes"
    std::string country;     // ICAO code of the state running the post
    std::string time_zone;   // IANA name, e.g. "America/Lima"
    Direction default_direction = Direction::entry;  // what a new inspection assumes
    std::optional<std::chrono::year_month_day> pinned_date;  // rehearsals and tests only
  } post;
  std::string data_dir;  // station.db and the captured images
  struct Store {
    int max_size_mb = 0;  // 0 = as large as the disk allows
  } store;
  struct Devices {
    std::string page_reader;     // path of an hw-profiles/*.toml file, "" = none
    std::string samples;         // simulated page reader: the folder of sample documents
    // The ePassport chip reader (PC/SC): "" = none, "any" = whichever reader a chip is placed on,
    // otherwise the reader's PC/SC name. The CSCA trust store is <data_dir>/trust/csca.
    std::string chip_reader;
    int chip_wait_ms = 3000;     // how long a chip may take to answer once the page is read
    // The traveller camera's profile (class traveller-camera): a photo of the traveller is kept
    // with each decided movement. "" = none.
    std::string traveller_camera;
  } devices;
  struct Reading {
    int workers = 1;               // threads reading MRZs and checking images
    double time_budget_ms = 400;   // per page; the reader stops trying alternatives past it
  } reading;
  Rules rules;
  std::vector<RefusalReason> refusal_reasons;
  struct Api {
    std::string address = "127.0.0.1";
    int port = 8780;  // 0 = any free port (printed at start)
    std::string web_dir;  // the pages (station/web); "" = the API only
  } api;
  struct AccountSettings {
    int session_idle_minutes = 10;    // a page locks after this long without use
    int session_hours = 12;           // a log-in lasts at most a shift
    int lockout_failures = 5;         // wrong passwords in a row that lock an account
    int lockout_minutes = 15;
    int password_memory_kib = 65536;  // Argon2id cost of new passwords
    int password_passes = 3;
    PasswordCost cost() const {
      return {static_cast<std::uint32_t>(password_passes), static_cast<std::uint32_t>(password_memory_kib), 1};
    }
    LockoutPolicy lockout() const { return {lockout_failures, std::chrono::minutes(lockout_minutes)}; }
  } accounts;
  struct Sync {
    bool enabled = false;
    std::string central = "127.0.0.1:8443";  // host:port of the central office receiver
    std::string server_name;                  // default: the host
    std::string credentials;                  // directory from `borderpost pki station`
    int batch_size = 500;
    int interval_s = 30;                      // upload at least this often while idle
  } sync;
  std::string log_level = "info";
};

// Where the post's record-signing key lives: the one `borderpost pki station` issued (in
// sync.credentials), or, for a post without credentials, its own key in the data directory.
std::string signing_key_path(const StationConfig& config);
// The key the post signs its records with: the one `borderpost pki station` issued, or without
// sync credentials (a post that does not sync) a key of its own in the data directory, made now
// (and kept unless `read_only`).
sync::SigningKey load_signing_key(const StationConfig& config, bool read_only);

// Throws ConfigError("FILE:LINE: reason") for a syntax error, an unknown option, a wrong type or
// value, or a path that does not exist. Relative paths are taken from the file's directory.
StationConfig load_station_config(const std::string& path);

// Only the [rules] of a station configuration, checked as strictly, the rest of the file unread:
// for judging a document elsewhere than at the post (`borderpost inspect --config`), where the
// post's devices, web pages and credentials are not.
Rules load_station_rules(const std::string& path);

}  // namespace borderpost::station
