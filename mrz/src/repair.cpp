// repair(): picks, among the plausible readings of each character, the one the layout's field
// types and check digits confirm, changing no more characters than a check digit can vouch for.
#include "mrz/repair.hpp"

#include "mrz/countries.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>

#include "check_digit.hpp"
#include "layout.hpp"
#include "normalize.hpp"

namespace mrz {
namespace {

using detail::Layout;
using detail::Slot;

// OCR-B look-alikes: what a character read as the key may really be. A '<' read as '<' is taken
// as read: the filler's shape is distinctive, and check digits cannot tell K or X (values 20 and
// 33... and '<' = 0) apart from it reliably anyway.
constexpr std::array<std::string_view, 256> kConfusions = [] {
  std::array<std::string_view, 256> table{};
  table['0'] = "ODQ";
  table['O'] = "0DQ";
  table['D'] = "0O";
  table['Q'] = "0O";
  table['1'] = "IL";
  table['I'] = "1L";
  table['L'] = "1I";
  table['2'] = "Z";
  table['Z'] = "2";
  table['5'] = "S";
  table['S'] = "5";
  table['6'] = "G";
  table['G'] = "6";
  table['8'] = "B";
  table['B'] = "8";
  table['4'] = "A";
  table['A'] = "4";
  table['7'] = "T";
  table['T'] = "7";
  table['K'] = "<";
  table['X'] = "<";
  return table;
}();

constexpr float kConfusionCost = 1.0F;  // in text mode: one look-alike swap
constexpr float kEpsilon = 1e-4F;
// Readings the OCR gave less than a 1 % chance (-log 0.01) are not worth considering.
constexpr float kPlausibleCost = 4.6F;
// A wrong reading passes a check digit one time in ten by chance; so a fix the OCR found more than
// ten times less likely than what it read (ln 10) is no better attested than a coincidence. It may
// stand, but its field is reported uncertain.
constexpr float kConfirmableRepairCost = 2.3F;

struct Cell {
  int line;
  int pos;
  bool operator<(const Cell& other) const { return line != other.line ? line < other.line : pos < other.pos; }
  bool operator==(const Cell& other) const { return line == other.line && pos == other.pos; }
};

// A check digit constraint: data cells and the check cell.
struct Constraint {
  std::string field;
  std::vector<Cell> data;
  Cell check;
  bool filler_ok_when_empty = false;
};

// An OCR reading at least this sure (-log 0.9) is not overruled silently by a check digit.
constexpr float kSureCost = 0.105F;

// The least share of a cell's probability that the characters its field allows must have between
// them for the OCR's preference among those characters to mean anything. A digit-shaped O in a
// name has a third or more on the O; a cell where no allowed character had even this much was
// not read, whatever the field rules out.
constexpr float kLeastAllowedShare = 0.15F;

// Adds the look-alikes of a cell's first choice the OCR did not offer, at `extra_cost` above it.
void add_confusions(std::vector<Candidate>& cell, float extra_cost);

class Repairer {
 public:
  // `cells`: the OCR's candidates (kept, for doubt(): they alone say how sure it was); the search
  // also tries look-alikes it did not offer, at `confusion_cost` above its first choice.
  // `scored`: the cells carry an OCR engine's own costs (not plain text).
  Repairer(const Layout& layout, const CellCandidates& cells, const RepairOptions& options, float confusion_cost, bool scored)
      : layout_(layout), options_(options), scored_(scored), ocr_(cells) {
    slots_.assign(layout.line_count, std::vector<Slot>(layout.line_length, Slot::OptionalData));
    for (const auto& s : layout.spans) {
      for (int i = 0; i < s.length; ++i) slots_[s.line][s.start + i] = s.slot;
    }
    // Keep only the candidates the field allows; the cheapest one is the starting reading.
    options_per_cell_.resize(layout.line_count);
    original_.assign(layout.line_count, std::string(layout.line_length, '<'));
    chosen_ = original_;
    for (int l = 0; l < layout.line_count; ++l) {
      options_per_cell_[l].resize(layout.line_length);
      for (int p = 0; p < layout.line_length; ++p) {
        const auto& given = cells[l][p];
        original_[l][p] = given.empty() ? '<' : given.front().character;
        const auto cls = detail::char_class(slots_[l][p]);
        auto& mine = options_per_cell_[l][p];
        auto offered = given;
        add_confusions(offered, confusion_cost);
        for (const auto& c : offered) {
          if (detail::allowed(cls, c.character)) mine.push_back(c);
        }
        std::sort(mine.begin(), mine.end(), [](const Candidate& a, const Candidate& b) { return a.cost < b.cost; });
        // A character the OCR was sure of stands: a check digit that fails over it says the
        // document is printed wrong (specimens often are), not that the OCR misread it.
        if (scored && !mine.empty() && !given.empty() && mine.front().character == given.front().character &&
            given.front().cost < kSureCost) {
          mine.resize(1);
        }
        if (mine.empty()) mine.push_back(Candidate{original_[l][p], 0.0F});  // nothing fits: keep it, parse reports it
        chosen_[l][p] = mine.front().character;
        if (chosen_[l][p] != original_[l][p]) forced_.insert(Cell{l, p});
      }
    }
  }

  Repaired run() {
    repair_filler_runs();
    repair_country_code(Slot::IssuingState);
    repair_country_code(Slot::Nationality);
    std::vector<Constraint> field_checks = field_constraints();
    bool all_fields_pass = true;
    std::set<Cell> covered;
    for (const auto& c : field_checks) {
      std::vector<Cell> variables = c.data;
      variables.push_back(c.check);
      covered.insert(variables.begin(), variables.end());
      if (!solve(variables, {&c}, options_.max_changes_per_check)) {
        uncertain_.insert(c.field);
        all_fields_pass = false;
      } else if (repair_cost_ > kConfirmableRepairCost) {
        uncertain_.insert(c.field);
      }
    }
    // The composite may only repair what no field check digit covers (TD1/TD2 optional data), and
    // only once every field check passes: otherwise it would "fix" one field with another's error.
    if (!layout_.composite.empty()) {
      const Constraint composite = composite_constraint();
      bool solved = false;
      if (all_fields_pass) {
        std::vector<Cell> variables;
        for (const auto& cell : composite.data) {
          if (!covered.count(cell)) variables.push_back(cell);
        }
        variables.push_back(composite.check);
        solved = solve(variables, {&composite}, options_.max_changes_per_check);
      }
      if (!solved && !satisfied(composite)) uncertain_.insert("composite");
      // What only the composite confirmed (TD1/TD2 optional data): one digit over so many fields
      // is weak evidence for a change; say so rather than vouch for it.
      for (const auto& cell : composite.data) {
        if (!covered.count(cell) && chosen_[cell.line][cell.pos] != original_[cell.line][cell.pos]) {
          uncertain_.insert(detail::slot_name(slots_[cell.line][cell.pos]));
        }
      }
    }
    flag_unsure_cells(field_checks, covered);
    return result();
  }

 private:
  std::string_view span_text(Slot slot) const {
    const auto* s = detail::find_span(layout_, slot);
    return std::string_view(chosen_[s->line]).substr(s->start, s->length);
  }

  static std::vector<Cell> cells_of(int line, int start, int length) {
    std::vector<Cell> out;
    for (int i = 0; i < length; ++i) out.push_back(Cell{line, start + i});
    return out;
  }

  Constraint simple(Slot data, Slot check, bool filler_ok = false) const {
    const auto* d = detail::find_span(layout_, data);
    const auto* c = detail::find_span(layout_, check);
    return Constraint{detail::slot_name(data), cells_of(d->line, d->start, d->length), Cell{c->line, c->start}, filler_ok};
  }

  std::vector<Constraint> field_constraints() const {
    std::vector<Constraint> out;
    const auto* check = detail::find_span(layout_, Slot::DocumentNumberCheck);
    const auto* optional = detail::find_span(layout_, Slot::OptionalData);
    const auto optional_text = span_text(Slot::OptionalData);
    if (layout_.long_document_number && chosen_[check->line][check->start] == '<' && optional_text[0] != '<') {
      auto end = optional_text.find('<');
      if (end == std::string_view::npos) end = optional_text.size();
      if (end >= 2) {
        auto data = cells_of(check->line, check->start - 9, 9);
        const auto more = cells_of(optional->line, optional->start, static_cast<int>(end) - 1);
        data.insert(data.end(), more.begin(), more.end());
        out.push_back(Constraint{"document_number", data, Cell{optional->line, optional->start + static_cast<int>(end) - 1}});
      }
    } else {
      out.push_back(simple(Slot::DocumentNumber, Slot::DocumentNumberCheck));
    }
    out.push_back(simple(Slot::BirthDate, Slot::BirthDateCheck));
    out.push_back(simple(Slot::ExpiryDate, Slot::ExpiryDateCheck));
    if (detail::find_span(layout_, Slot::OptionalDataCheck)) out.push_back(simple(Slot::OptionalData, Slot::OptionalDataCheck, true));
    return out;
  }

  Constraint composite_constraint() const {
    Constraint c{"composite", {}, {}};
    for (const auto& r : layout_.composite) {
      const auto cells = cells_of(r.line, r.start, r.length);
      c.data.insert(c.data.end(), cells.begin(), cells.end());
    }
    const auto* s = detail::find_span(layout_, Slot::CompositeCheck);
    c.check = Cell{s->line, s->start};
    return c;
  }

  bool satisfied(const Constraint& c) const {
    detail::CheckDigitSum sum;
    bool empty = true;
    for (const auto& cell : c.data) {
      const char ch = chosen_[cell.line][cell.pos];
      sum.add(std::string_view(&ch, 1));
      empty = empty && ch == '<';
    }
    const char printed = chosen_[c.check.line][c.check.pos];
    return sum.valid() && (printed == sum.digit() || (c.filler_ok_when_empty && empty && printed == '<'));
  }

  bool all_satisfied(const std::vector<const Constraint*>& constraints) const {
    return std::all_of(constraints.begin(), constraints.end(), [&](const Constraint* c) { return satisfied(*c); });
  }

  // Tries every combination of up to `budget` alternative readings over `variables`. Applies the
  // cheapest one that satisfies all constraints, but only when no other equally cheap one exists:
  // an ambiguous repair is no repair.
  bool solve(std::vector<Cell> variables, const std::vector<const Constraint*>& constraints, int budget) {
    repair_cost_ = 0.0F;
    if (all_satisfied(constraints)) return true;
    std::sort(variables.begin(), variables.end());
    variables.erase(std::unique(variables.begin(), variables.end()), variables.end());
    best_cost_ = INFINITY;
    best_count_ = 0;
    best_.clear();
    current_.clear();
    search(variables, 0, budget, 0.0F, constraints);
    if (best_count_ != 1) return false;
    for (const auto& [cell, ch] : best_) chosen_[cell.line][cell.pos] = ch;
    repair_cost_ = best_cost_;
    return true;
  }

  void search(const std::vector<Cell>& variables, std::size_t from, int budget, float cost,
              const std::vector<const Constraint*>& constraints) {
    if (cost > best_cost_ + kEpsilon) return;
    if (!current_.empty() && all_satisfied(constraints)) {
      if (cost < best_cost_ - kEpsilon) {
        best_cost_ = cost;
        best_count_ = 1;
        best_ = current_;
      } else {
        ++best_count_;
      }
      return;
    }
    if (budget == 0) return;
    for (std::size_t i = from; i < variables.size(); ++i) {
      const auto cell = variables[i];
      const char kept = chosen_[cell.line][cell.pos];
      const float kept_cost = cost_of(cell, kept);
      for (const auto& option : options_per_cell_[cell.line][cell.pos]) {
        if (option.character == kept) continue;
        chosen_[cell.line][cell.pos] = option.character;
        current_.emplace_back(cell, option.character);
        search(variables, i + 1, budget - 1, cost + std::max(0.0F, option.cost - kept_cost), constraints);
        current_.pop_back();
      }
      chosen_[cell.line][cell.pos] = kept;
    }
  }

  // How unsure the OCR was of the character a cell settled on, among the characters its field
  // allows (-ln of that character's share of their probability): an O that looks like a 0 in a
  // name is doubtful only between letters. Unbounded when the allowed characters had too little
  // probability between them (kLeastAllowedShare). In plain text (no OCR scores) a character as
  // typed is sure and one the repair changed is not.
  float doubt(Cell cell) const {
    const char chosen = chosen_[cell.line][cell.pos];
    constexpr float kNoIdea = std::numeric_limits<float>::infinity();
    if (!scored_) return chosen == original_[cell.line][cell.pos] ? 0.0F : kNoIdea;
    const auto cls = detail::char_class(slots_[cell.line][cell.pos]);
    float allowed = 0.0F;
    float mine = 0.0F;
    for (const auto& option : ocr_[cell.line][cell.pos]) {
      if (!detail::allowed(cls, option.character)) continue;
      allowed += std::exp(-option.cost);
      if (option.character == chosen) mine = std::exp(-option.cost);
    }
    if (allowed < kLeastAllowedShare || mine <= 0.0F) return kNoIdea;
    return std::log(allowed / mine);
  }

  // Cells read as the OCR's first allowed choice, but without conviction.
  bool unsure(Cell cell) const {
    const char c = chosen_[cell.line][cell.pos];
    return c == original_[cell.line][cell.pos] && doubt(cell) > options_.unsure_cost;
  }

  // Whether a check vouches for its one unsure cell: no other plausible reading of it passes too.
  // (B read for V passes any check: 11 and 31 weigh the same modulo 10.)
  bool confirms(const Constraint& c, Cell cell) {
    const char kept = chosen_[cell.line][cell.pos];
    bool alone = true;
    for (const auto& option : options_per_cell_[cell.line][cell.pos]) {
      if (option.character == kept || option.cost > kPlausibleCost) continue;
      chosen_[cell.line][cell.pos] = option.character;
      alone = alone && !satisfied(c);
    }
    chosen_[cell.line][cell.pos] = kept;
    return alone;
  }

  // A check digit vouches for a field only so far: two misreads can cancel out, and some single
  // ones leave the digit as it was. Unsure cells are confirmed by a passing check only one at a
  // time and only when no other reading of theirs would pass; outside every check nothing
  // confirms them. Their fields are reported uncertain.
  void flag_unsure_cells(const std::vector<Constraint>& field_checks, const std::set<Cell>& covered) {
    auto judge = [&](const Constraint& c, const std::vector<Cell>& cells) {
      std::vector<Cell> doubts;
      for (const auto& cell : cells) {
        if (unsure(cell)) doubts.push_back(cell);
      }
      if (doubts.empty()) return;
      if (doubts.size() == 1 && satisfied(c) && confirms(c, doubts.front())) return;
      unsure_.insert(c.field);
      for (const auto& cell : doubts) unsure_.insert(detail::slot_name(slots_[cell.line][cell.pos]));
    };
    for (const auto& c : field_checks) {
      std::vector<Cell> cells = c.data;
      cells.push_back(c.check);
      judge(c, cells);
    }
    std::vector<Cell> composite_only;
    if (!layout_.composite.empty()) {
      const Constraint composite = composite_constraint();
      for (const auto& cell : composite.data) {
        if (!covered.count(cell)) composite_only.push_back(cell);
      }
      composite_only.push_back(composite.check);
      judge(composite, composite_only);
    }
    for (int l = 0; l < layout_.line_count; ++l) {
      for (int p = 0; p < layout_.line_length; ++p) {
        const Cell cell{l, p};
        const bool checked = covered.count(cell) ||
                             std::find(composite_only.begin(), composite_only.end(), cell) != composite_only.end();
        if (!checked && unsure(cell)) unsure_.insert(detail::slot_name(slots_[l][p]));
      }
    }
    uncertain_.insert(unsure_.begin(), unsure_.end());
  }

  float cost_of(Cell cell, char c) const {
    for (const auto& option : options_per_cell_[cell.line][cell.pos]) {
      if (option.character == c) return option.cost;
    }
    return 0.0F;
  }

  // Fillers read as K or X. Check digits cannot see this confusion (K = 20 and '<' = 0 are equal
  // modulo 10), so it is resolved by position: past the end of a field's data every K or X is a
  // misread filler. Such changes leave the field uncertain.
  void repair_filler_runs() {
    for (const auto& s : layout_.spans) {
      if (s.slot != Slot::Name && s.slot != Slot::DocumentNumber && s.slot != Slot::OptionalData &&
          s.slot != Slot::OptionalData2) {
        continue;
      }
      std::string& line = chosen_[s.line];
      const auto end = data_end(std::string_view(line).substr(s.start, s.length), s.slot == Slot::Name);
      // K is 20, invisible to check digits; X (33) is not, so in checked fields X is left to them.
      const bool checked = s.slot == Slot::DocumentNumber || (s.slot == Slot::OptionalData &&
                                                              detail::find_span(layout_, Slot::OptionalDataCheck));
      for (int p = s.start + static_cast<int>(end); p < s.start + s.length; ++p) {
        if (line[p] == 'K' || (line[p] == 'X' && !checked)) {
          line[p] = '<';
          uncertain_.insert(detail::slot_name(s.slot));
        }
      }
    }
  }

  // An unknown state code is more likely a misread known one: the cheapest reading within two
  // changes that is a known code wins, if it is the only one that cheap.
  void repair_country_code(Slot slot) {
    const auto* s = detail::find_span(layout_, slot);
    std::string& line = chosen_[s->line];
    const std::string original = line.substr(static_cast<std::size_t>(s->start), static_cast<std::size_t>(s->length));
    if (find_country(original)) return;
    // A code the OCR read with conviction is a fact, even when no state has it (a specimen's own
    // code such as COU, a state newer than the table): only a code read unsure is a misreading.
    // Plain text has no scores and its code is repaired.
    if (scored_) {
      bool doubted = false;
      for (int i = 0; i < 3; ++i) doubted = doubted || cost_of(Cell{s->line, s->start + i}, original[static_cast<std::size_t>(i)]) > options_.unsure_cost;
      if (!doubted) return;
    }
    // Every reading the cells allow (a code is three cells), at most two characters from the read one.
    const auto& cells = options_per_cell_[s->line];
    float best_cost = INFINITY;
    int best_count = 0;
    std::string best;
    std::string candidate = original;
    for (const auto& x : cells[s->start]) {
      for (const auto& y : cells[s->start + 1]) {
        for (const auto& z : cells[s->start + 2]) {
          candidate = {x.character, y.character, z.character};
          float cost = 0;
          int changes = 0;
          for (int i = 0; i < 3; ++i) {
            if (candidate[static_cast<std::size_t>(i)] == original[static_cast<std::size_t>(i)]) continue;
            ++changes;
            cost += cost_of(Cell{s->line, s->start + i}, candidate[static_cast<std::size_t>(i)]);
          }
          if (changes == 0 || changes > 2 || !find_country(candidate)) continue;
          if (cost < best_cost - kEpsilon) {
            best_cost = cost;
            best_count = 1;
            best = candidate;
          } else if (cost < best_cost + kEpsilon) {
            ++best_count;
          }
        }
      }
    }
    if (best_count == 1) line.replace(static_cast<std::size_t>(s->start), static_cast<std::size_t>(s->length), best);
  }

  // Where a field's data ends. Data fields end at the first "<<". In the name the surname ends at
  // the first "<<"; exactly two fillers followed by a letter start the given names, which end at
  // the next "<<". So SMITH<<K keeps its K, and ERIKSSON<<ANNA<<<K<< loses it.
  static std::size_t data_end(std::string_view field, bool is_name) {
    const auto first = field.find("<<");
    if (first == std::string_view::npos) return field.size();
    if (!is_name) return first;
    const bool given_names = first + 2 < field.size() && field[first + 2] != '<';
    if (!given_names) return first;
    const auto second = field.find("<<", first + 2);
    return second == std::string_view::npos ? field.size() : second;
  }

  Repaired result() {
    Repaired out;
    out.lines = chosen_;
    for (int l = 0; l < layout_.line_count; ++l) {
      for (int p = 0; p < layout_.line_length; ++p) {
        if (chosen_[l][p] != original_[l][p]) {
          out.changes.push_back(CharChange{detail::slot_name(slots_[l][p]), l + 1, p + 1, original_[l][p], chosen_[l][p]});
        }
      }
    }
    // Characters changed only to fit the field type, with no check digit confirming them, unless
    // the OCR clearly preferred that character among those the field allows (the 0-shaped O).
    for (const auto& cell : forced_) {
      const auto slot = slots_[cell.line][cell.pos];
      const bool unchecked = slot == Slot::DocumentCode || slot == Slot::IssuingState || slot == Slot::Nationality ||
                             slot == Slot::Sex || slot == Slot::Name || slot == Slot::OptionalData2;
      if (unchecked && doubt(cell) > options_.unsure_cost) {
        uncertain_.insert(detail::slot_name(slot));
      }
    }
    out.uncertain_fields.assign(uncertain_.begin(), uncertain_.end());
    out.document = parse(out.lines, options_.parse);
    out.confidence = confidences(out);
    return out;
  }

  // Checked fields: 1 as read, 0.9 per repaired character, 0 when the check fails. Unchecked
  // fields (name, codes, sex): 1 as read, 0.5 once anything in them was changed.
  std::vector<FieldConfidence> confidences(const Repaired& out) const {
    std::vector<FieldConfidence> result;
    std::set<std::string> seen;
    for (const auto& s : layout_.spans) {
      const std::string field = detail::slot_name(s.slot);
      if (!seen.insert(field).second) continue;
      const auto changes = std::count_if(out.changes.begin(), out.changes.end(),
                                         [&](const CharChange& c) { return c.field == field; });
      const auto* check = out.document.check(field);
      FieldConfidence fc{field, 1.0F, "as read"};
      if (check != nullptr && !check->ok) {
        fc = {field, 0.0F, "check digit fails"};
      } else if (unsure_.count(field)) {
        fc = {field, 0.5F, "a character was hard to read and no check digit confirms it"};
      } else if (uncertain_.count(field)) {
        fc = {field, 0.5F, "changed without a check digit to confirm it"};
      } else if (changes > 0) {
        fc = {field, std::pow(0.9F, static_cast<float>(changes)),
              check ? "repaired and confirmed by the check digit" : "repaired to fit the field type"};
      }
      result.push_back(std::move(fc));
    }
    return result;
  }

  const Layout& layout_;
  RepairOptions options_;
  std::vector<std::vector<Slot>> slots_;
  std::vector<std::vector<std::vector<Candidate>>> options_per_cell_;
  std::vector<std::string> original_;
  std::vector<std::string> chosen_;
  std::set<Cell> forced_;
  std::set<std::string> uncertain_;
  std::set<std::string> unsure_;  // uncertain because a character was hard to read
  bool scored_ = false;
  const CellCandidates& ocr_;
  // search state
  float best_cost_ = 0.0F;
  int best_count_ = 0;
  std::vector<std::pair<Cell, char>> best_;
  std::vector<std::pair<Cell, char>> current_;
  float repair_cost_ = 0.0F;  // of the last solve()
};

void add_confusions(std::vector<Candidate>& cell, float extra_cost) {
  if (cell.empty()) return;
  const Candidate best = cell.front();
  for (const char alt : kConfusions[static_cast<unsigned char>(best.character)]) {
    const bool present = std::any_of(cell.begin(), cell.end(), [&](const Candidate& c) { return c.character == alt; });
    if (!present) cell.push_back(Candidate{alt, best.cost + extra_cost});
  }
}

Format format_of(const CellCandidates& cells) {
  if (cells.size() == 3 && cells[0].size() == 30 && cells[1].size() == 30 && cells[2].size() == 30) return Format::TD1;
  if (cells.size() != 2 || cells[0].size() != cells[1].size()) return Format::Unknown;
  const bool visa = !cells[0].empty() && !cells[0][0].empty() && cells[0][0].front().character == 'V';
  if (cells[0].size() == 44) return visa ? Format::MRVA : Format::TD3;
  if (cells[0].size() == 36) return visa ? Format::MRVB : Format::TD2;
  return Format::Unknown;
}

Repaired run_repair(const CellCandidates& cells, const RepairOptions& options, float confusion_cost, bool scored) {
  const auto* layout = detail::layout_for(format_of(cells));
  if (layout == nullptr) {
    Repaired out;
    for (const auto& line : cells) {
      std::string text;
      for (const auto& cell : line) text.push_back(cell.empty() ? '<' : cell.front().character);
      out.lines.push_back(std::move(text));
    }
    out.document = parse(out.lines, options.parse);
    return out;
  }
  return Repairer(*layout, cells, options, confusion_cost, scored).run();
}

}  // namespace

Repaired repair(std::span<const std::string> lines, const RepairOptions& options) {
  std::vector<std::string_view> views;
  for (const auto& line : lines) {
    for (const auto piece : detail::split_lines(line)) views.push_back(piece);
  }
  auto normalised = detail::normalise(views);
  CellCandidates cells;
  for (const auto& line : normalised.lines) {
    auto& out = cells.emplace_back();
    for (const char c : line) out.push_back({Candidate{c, 0.0F}});
  }
  if (normalised.format == Format::Unknown) {
    Repaired out;
    out.document = parse(lines, options.parse);
    return out;
  }
  auto out = run_repair(cells, options, kConfusionCost, false);
  // What the lenient input handling fixed or refused belongs to the result too.
  out.document.problems.insert(out.document.problems.begin(), normalised.problems.begin(), normalised.problems.end());
  return out;
}

Repaired repair(const CellCandidates& cells, const RepairOptions& options) {
  // OCR alternatives come with their own costs; look-alikes it did not propose cost more.
  return run_repair(cells, options, 2.0F * kConfusionCost, true);
}

}  // namespace mrz
