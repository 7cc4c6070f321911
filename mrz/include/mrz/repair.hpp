// Repairs OCR output of an MRZ with the layout's field types and check digits.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "mrz/mrz.hpp"

namespace mrz {

// One reading of one character cell, from the OCR or from the confusion table.
struct Candidate {
  char character = '<';
  float cost = 0.0F;  // 0 = as read; higher = less likely (e.g. -log probability)
};

// Per line, per character position: the candidates for that cell, best first.
using CellCandidates = std::vector<std::vector<std::vector<Candidate>>>;

struct CharChange {
  std::string field;
  int line = 0;      // 1-based
  int position = 0;  // 1-based
  char from = '<';
  char to = '<';
};

struct RepairOptions {
  ParseOptions parse;
  // At most this many characters changed under one check digit. A check digit is one digit
  // modulo 10: for one substitution a unique fit is good evidence, for two there are usually
  // several fits. Raise it only when per-cell OCR scores give the extra evidence.
  int max_changes_per_check = 1;
  // A cell read with a cost above this (per-cell OCR candidates only; -log 0.85) is one the OCR was
  // unsure of. A check digit confirms such a cell only when it is the only unsure one under that
  // check and none of its other plausible readings would pass the check as well; otherwise, and in
  // fields no check digit covers (the name, codes, sex, visa optional data), the field is reported
  // uncertain.
  float unsure_cost = 0.1625F;
};

// How far a field's final reading can be trusted, from 0 to 1.
struct FieldConfidence {
  std::string field;
  float confidence = 1.0F;  // 1: as read and confirmed; lower for repairs; 0: a check still fails
  std::string reason;
};

struct Repaired {
  std::vector<std::string> lines;    // the repaired text
  std::vector<CharChange> changes;   // every character that differs from the best reading
  std::vector<std::string> uncertain_fields;  // fields whose reading is not confirmed by a check
                                              // (changed without one, or read unsure and unconfirmed)
  std::vector<FieldConfidence> confidence;    // one entry per field of the layout
  Document document;                 // parse() of the repaired lines
};

// Text in, text out: candidates come from the typical OCR-B confusions
// (0/O/D/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B, 4/A, 7/T, '<'/K/X).
Repaired repair(std::span<const std::string> lines, const RepairOptions& options = {});

// With per-cell candidates from an OCR engine; the confusion table is added at a higher cost.
// Each line must have its layout's exact length.
Repaired repair(const CellCandidates& cells, const RepairOptions& options = {});

}  // namespace mrz
