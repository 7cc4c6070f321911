// libFuzzer target: parse(), repair() and transliterate_name() on arbitrary bytes. Besides
// crashes and sanitizer reports, it traps when a result breaks the engine's own promises.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mrz/mrz.hpp"
#include "mrz/repair.hpp"

namespace {

constexpr std::chrono::year_month_day kAsOf{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{23}};

std::size_t expected_width(mrz::Format format) {
  switch (format) {
    case mrz::Format::TD1: return 30;
    case mrz::Format::TD2:
    case mrz::Format::MRVB: return 36;
    default: return 44;
  }
}

void require(bool condition) {
  if (!condition) __builtin_trap();
}

void check_document(const mrz::Document& doc) {
  if (!doc.usable()) {
    require(!doc.valid());
    require(!doc.problems.empty());
    return;
  }
  require(doc.lines.size() == (doc.format == mrz::Format::TD1 ? 3U : 2U));
  for (const auto& line : doc.lines) require(line.size() == expected_width(doc.format));
  if (doc.valid()) {
    for (const auto& c : doc.checks) require(c.ok);
  }
  for (const auto& p : doc.problems) require(!p.message.empty() && !p.code.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto doc = mrz::parse(text, mrz::ParseOptions{kAsOf});
  check_document(doc);

  const std::vector<std::string> lines{std::string(text)};
  const auto repaired = mrz::repair(lines, mrz::RepairOptions{mrz::ParseOptions{kAsOf}});
  check_document(repaired.document);
  // Repair never breaks a valid document; on one it may only turn misread fillers back into '<'
  // and an unknown state code into a known look-alike.
  if (doc.valid()) {
    require(repaired.document.valid());
    for (const auto& change : repaired.changes) {
      const bool filler = (change.from == 'K' || change.from == 'X') && change.to == '<';
      const bool code = change.field == "issuing_state" || change.field == "nationality";
      require(filler || code);
    }
  }

  (void)mrz::transliterate_name(text);
  return 0;
}
