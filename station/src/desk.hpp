// The inspector's desk: the one inspection in progress, from the document placed to the decision,
// and how it is shown (JSON) to the pages and to automation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "firmware_bridge/page_reader.hpp"
#include "mrz/document.hpp"
#include "mrz_optical/read.hpp"
#include "station/inspection.hpp"
#include "station/store.hpp"

namespace borderpost::station {

struct Inspection {
  std::uint64_t id = 0;
  // "placed" -> "reading" -> "inspected" -> "decided"; or "no-mrz", "unusable", "interrupted"
  std::string state = "placed";
  std::string message;  // why, for the states that are not "inspected"
  Phrase message_phrase;  // the same for the desk page, in the inspector's language
  std::string device, sample;
  std::vector<bridge::PageImage> images;
  std::vector<unsigned char> portrait;  // JPEG of the portrait zone (Zone V), cut from the white image; empty when none
  MrzSource source = MrzSource::Optical;
  // The optical read, when there was one.
  std::string read_status;  // mrz::optical::to_string(ReadStatus): "valid", "needs_review", "invalid", "not_found", "unusable"
  double read_ms = 0;
  int orientation = 0;
  std::vector<mrz::FieldConfidence> confidence;
  std::vector<mrz::CharChange> repaired;
  std::vector<std::string> uncertain_fields;
  std::optional<mrz::Document> document;
  std::string direction;
  ChipFacts chip;                        // what the chip reader found (the chip.* checks come from it)
  SecurityFacts security;                // what the page images measured (the security.* checks)
  std::vector<unsigned char> chip_face;  // DG2's face as JPEG; empty when none
  Verdict verdict;
  std::optional<StoredMovement> movement;
};

nlohmann::json to_json(const Inspection& inspection);
nlohmann::json to_json(const Verdict& verdict);
nlohmann::json to_json(const StoredMovement& movement, bool with_checks);

}  // namespace borderpost::station
