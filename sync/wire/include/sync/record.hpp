// A movement record: one traveller crossing at one post, as it travels to the central office.
// Format version 1 is documented in docs/sync-protocol.md. Records are append-only and chained per station:
// each carries the hash of the station's previous record and the station's Ed25519 signature.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace borderpost::sync {

struct Timestamp {
  std::string utc;  // "YYYY-MM-DDTHH:MM:SS.mmmZ"
  int utc_offset_minutes = 0;
};
Timestamp now();  // the post's clock, with its local UTC offset


inline constexpr int kRecordVersion = 1;
inline const std::string kGenesisHash(64, '0');  // prev_hash of a station's first record

// What the station captured and decided; the station fills this, the outbox adds the envelope.
struct Movement {
  std::string direction;  // "entry" | "exit"
  struct Document {
    std::string format;  // "TD1" | "TD2" | "TD3" | "MRVA" | "MRVB"
    std::string code;    // document code, e.g. "P", "ID", "V"
    std::string issuer;  // ICAO state code
    std::string number;
    std::string expiry;  // YYYY-MM-DD
  } document;
  struct Traveller {
    std::string surname;
    std::string given_names;
    std::string nationality;  // ICAO state code
    std::string birth_date;   // YYYY-MM-DD, or "" when the MRZ gave none
    std::string sex;          // "F" | "M" | "X"
  } traveller;
  std::string decision;   // "admit" | "refuse" | "refer"
  std::string inspector;  // inspector id (no name: the id is enough for the audit trail)
  struct Checks {
    std::string verdict;  // "pass" | "warn" | "fail"
    int passed = 0, warnings = 0, failed = 0, not_run = 0;
  } checks;
  std::optional<std::string> corrects;  // uuid of the record this one corrects
};

struct Record {
  int version = kRecordVersion;
  std::string station;  // station id, the CN of its certificates
  std::uint64_t seq = 0;
  std::string uuid;
  std::string recorded_at;  // UTC, "YYYY-MM-DDTHH:MM:SS.mmmZ"
  int utc_offset_minutes = 0;
  Movement movement;
  std::string prev_hash;  // hex SHA-256
  std::string hash;       // hex SHA-256 of the canonical body
  std::string signature;  // base64 Ed25519 over the canonical body
};

// The signed bytes: compact JSON of every field except hash and signature, keys sorted.
std::string canonical_body(const Record& record);

nlohmann::json to_json(const Record& record);
// Reads a record from its JSON form; on failure returns nullopt and says why in `error`.
std::optional<Record> record_from_json(const nlohmann::json& json, std::string& error);

// Shape problems (field formats, enums, lengths) or empty when well-formed. Does not check the
// hash, signature or chain: those need context (sync::verify_record in the receiver).
std::string shape_problem(const Record& record);

// "YYYY-MM-DD" with a month 01-12 and a day 01-31.
bool is_iso_date(std::string_view text);

// The hash the record should carry.
std::string expected_hash(const Record& record);

}  // namespace borderpost::sync
