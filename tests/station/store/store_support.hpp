// A station database in a temporary directory and movement drafts to record in it, for the
// store's tests and the records' (statistics, sign-off) tests.
#pragma once

#include <filesystem>
#include <string>

#include "store/store.hpp"
#include "temp_dir.hpp"
#include "sync/crypto.hpp"

namespace store_support {

namespace fs = std::filesystem;
using namespace borderpost;

// A directory per test (tests/support).
struct TempDir : borderpost::test::TempDir {
  TempDir() : borderpost::test::TempDir("store") {}
};

inline station::MovementDraft draft(const std::string& number, const std::string& direction, const std::string& date) {
  station::MovementDraft d;
  d.movement.direction = direction;
  d.movement.decision = "admit";
  d.movement.inspector = "insp-07";
  d.movement.document = {"TD3", "P", "PER", number, "2031-05-04"};
  d.movement.traveller = {"QUISPE MAMANI", "ROSA ELENA", "PER", "1988-02-29", "F"};
  d.movement.checks = {"pass", 10, 0, 0, 0};
  d.mrz_lines = {"P<PERQUISPE<MAMANI<<ROSA<ELENA<<<<<<<<<<<<<<", "line two"};
  d.local_date = date;
  d.local_time = "10:15:00";
  d.checks = {{"mrz.valid", station::CheckStatus::Pass, "All check digits are correct.", "", false, {"reason.mrz.valid.pass"}, {}},
              {"traveller.minor", station::CheckStatus::Pass, "Adult.", "age 38", false,
               {"reason.traveller.minor.pass", {{"age", "38"}}}, {"measure.age", {{"age", "38"}}}}};
  return d;
}

}  // namespace store_support
