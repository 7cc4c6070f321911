// Inspection: the independent checks a border post runs on one document, and the verdict that
// tells the inspector what needs attention. Pure functions over values: the daemon gathers the
// facts (the MRZ as read or typed, the post's last movement of this document, watch-list entries)
// and calls inspect(); nothing here touches a device, a file or the database.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mrz/document.hpp"
#include "emrtd/read_chip.hpp"
#include "phrase/phrase.hpp"
#include "security/facts.hpp"
#include "sync/watchlist.hpp"

namespace borderpost::station {

enum class CheckStatus { Pass, Warn, Fail, NotRun };
std::string_view to_string(CheckStatus status);  // "pass" | "warn" | "fail" | "not-run"
std::optional<CheckStatus> check_status_named(std::string_view word);

struct CheckResult {
  std::string id;        // "mrz.valid", "document.expired", ...
  CheckStatus status = CheckStatus::NotRun;
  std::string reason;    // one sentence a person understands, e.g. "Expired on 2024-03-01 (265 days ago)."
  std::string measurement;  // what was measured, when it helps a supervisor: "age 16", "score 0.91"
  bool alert = false;    // must be impossible to miss (watch-list hit, minor, overstay, ...)
  Phrase reason_phrase;       // the reason and the measurement for the pages, in any language
  Phrase measurement_phrase;
};

// How the MRZ reached the station: read from the page image by us, typed by the inspector (from
// the MRZ or from the visual zone), or sent as text by an MRZ line reader (swipe or OCR reader).
enum class MrzSource { Optical, Typed, VizTyped, TextReader };
std::string_view to_string(MrzSource source);  // "optical" | "typed" | "viz-typed" | "text-reader"
std::optional<MrzSource> mrz_source_named(std::string_view word);
inline bool typed_by_hand(MrzSource source) { return source == MrzSource::Typed || source == MrzSource::VizTyped; }

// The post's rules (from the station configuration).
struct StayRule {
  std::string group;                       // "MERCOSUR", "visa-exempt", ...
  std::vector<std::string> nationalities;  // ICAO codes
  int days = 90;
};
struct Rules {
  int age_of_majority = 18;
  int expires_soon_days = 180;  // warn when the document expires within this many days
  int default_stay_days = 90;   // nationalities in no group
  std::vector<StayRule> stays;
  double person_alert_score = 0.85;   // watch-list person match at or above: fail
  double person_review_score = 0.70;  // at or above (below alert): warn, the inspector compares
  // Documents that should carry a chip (the chip-present symbol on a passport's cover): document
  // codes by their first letters ("P": every passport), except those of the listed issuing states.
  std::vector<std::string> chip_expected_codes = {"P"};
  std::vector<std::string> chip_not_expected_issuers;
  SecurityRules security;
};

// What the station learned from the document's chip (ICAO Doc 9303 Part 11), for the chip.* checks.
struct ChipFacts {
  enum class State {
    no_reader,    // the post has no chip reader
    no_keys,      // the MRZ lacks what the chip's keys are made of (document number, dates)
    reading,      // being read: the chip's checks follow when it is done
    absent,       // no chip answered on the reader in the time allowed
    unavailable,  // the chip reader or the PC/SC service is not there (`detail` says which)
    read,         // `report` holds what the chip said
  } state = State::no_reader;
  std::string detail;
  station::emrtd::ChipReport report;
};
std::string_view to_string(ChipFacts::State state);  // "no-reader", "no-keys", "reading", "absent", "unavailable", "read"

// Which way a traveller crosses; the words ("entry", "exit") only in JSON, TOML and the database.
enum class Direction { entry, exit };
std::string_view to_string(Direction direction);  // "entry" | "exit"
std::optional<Direction> direction_named(std::string_view text);

// The last movement of the same document (number + issuing state) recorded at this post.
struct PreviousMovement {
  Direction direction = Direction::entry;
  std::chrono::year_month_day local_date;
};

struct InspectionFacts {
  mrz::Document document;  // as read (optical) or typed
  MrzSource source = MrzSource::Optical;
  // Optical reads only: the reader's status and the fields it could not vouch for.
  bool optical_needs_review = false;
  std::vector<std::string> uncertain_fields;
  std::chrono::year_month_day crossing_date;  // the post's local date
  std::optional<Direction> direction;          // none: not chosen yet
  std::optional<PreviousMovement> previous;
  std::vector<sync::WatchlistEntry> document_hits;     // StationWatchlist::documents(number, issuer)
  std::vector<sync::WatchlistEntry> watchlist_persons;  // StationWatchlist::persons()
  ChipFacts chip;
  SecurityFacts security;  // optical reads: what the white, IR and UV images measured
};

struct Verdict {
  CheckStatus overall = CheckStatus::Pass;  // the worst check (not-run does not count)
  std::vector<CheckResult> checks;          // in a fixed order, every check present
  std::string headline;                     // "Every check passes." / "Attention: ..." / "Review: ..."
  bool minor = false;                        // the decision must record the companion/authorisation
};

// Runs every check. The checks, in order: mrz.valid, mrz.legible (fields the reader was unsure
// of), document.expired, document.expires_soon, document.code_known, traveller.minor,
// watchlist.document, watchlist.person, movement.sequence, stay.overstay, then the chip's:
// chip.access, chip.passive_auth, chip.dg_hashes, chip.ds_certificate, chip.mrz_matches_optical,
// chip.active_auth, then the page's optical security features: security.ir_mrz, security.uv_dull,
// security.photo_present, security.viz_matches_mrz, security.mrz_print.
Verdict inspect(const InspectionFacts& facts, const Rules& rules);

// The chip.* checks alone (as inspect() runs them) for a document and what its chip said: for
// tools that read a chip without the rest of an inspection (`borderpost chip read`).
std::vector<CheckResult> chip_checks(const mrz::Document& document, MrzSource source, const ChipFacts& chip, const Rules& rules);

// The security.* checks alone, for tools that examine page images without the rest of an
// inspection (`borderpost inspect`).
std::vector<CheckResult> security_checks(const SecurityFacts& facts, const SecurityRules& rules);

// True when the post's rules say this document should carry a chip.
bool chip_expected(const mrz::Document& document, const Rules& rules);

// A person on the watch-list against the traveller: 0..1, tolerant of transliteration (ä/ae, ñ/n),
// OCR-like confusions (0/O, 1/I, 5/S, 8/B), name order and missing parts; the birth date and
// nationality weigh in when both sides have them (an unknown part matches anything).
double person_match_score(const sync::WatchlistEntry& person, const mrz::Document& traveller);

// How many of the checks raise an alert.
int alert_count(const std::vector<CheckResult>& checks);

// "YYYY-MM-DD" of a day, and back (nullopt unless exactly that form and a real date).
std::string iso_day(std::chrono::year_month_day day);
std::optional<std::chrono::year_month_day> parse_iso_day(std::string_view text);

// Whole years between the birth date and the day (std::nullopt when the birth date is incomplete
// or after the day). Born on 29 February: a year older on 1 March in common years.
std::optional<int> age_on(const mrz::Date& birth, std::chrono::year_month_day day);

}  // namespace borderpost::station
