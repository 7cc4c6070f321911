// `borderpost mrz parse`: validates MRZ text given as arguments or on standard input.
#include "mrz_cli/mrz_command.hpp"

#include <unistd.h>

#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "mrz/countries.hpp"
#include "mrz/mrz.hpp"
#include "mrz_cli/json.hpp"

namespace mrz::cli {
namespace {

constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUnusable = 2;

struct ParseArgs {
  std::vector<std::string> lines;
  bool json = false;
  std::string as_of;
};

// Documents on standard input are separated by blank lines.
std::vector<std::vector<std::string>> read_blocks(std::istream& in) {
  std::vector<std::vector<std::string>> blocks(1);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) {
      if (!blocks.back().empty()) blocks.emplace_back();
      continue;
    }
    blocks.back().push_back(line);
  }
  if (blocks.back().empty()) blocks.pop_back();
  return blocks;
}

std::optional<std::chrono::year_month_day> parse_iso_date(const std::string& text) {
  // YYYY-MM-DD exactly.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t k = 0; k < lengths[i]; ++k) {
      const char c = text[starts[i] + k];
      if (c < '0' || c > '9') return std::nullopt;
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  const std::chrono::year_month_day date{std::chrono::year{parts[0]}, std::chrono::month{static_cast<unsigned>(parts[1])},
                                         std::chrono::day{static_cast<unsigned>(parts[2])}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string check_mark(const Document& doc, const char* field) {
  const auto* c = doc.check(field);
  if (c == nullptr) return "";
  return c->ok ? "  check ok" : "  check FAILED";
}

std::string with_country(const Field& f) {
  const auto found = find_country(f.value);
  return found ? f.value + "  (" + std::string(found->name) + ")" : f.value + "  (unknown code)";
}

void print_human(std::ostream& out, const Document& doc, std::size_t index, std::size_t count) {
  if (count > 1) out << "Document " << index + 1 << " of " << count << '\n';
  if (!doc.usable()) {
    out << "  Not an MRZ.\n";
  } else {
    out << "  " << to_string(doc.format) << (doc.valid() ? "  VALID" : "  INVALID") << '\n';
    auto row = [&](const char* label, const std::string& value) {
      out << "  " << std::left << std::setw(16) << label << (value.empty() ? "-" : value) << '\n';
    };
    for (const auto& line : doc.lines) out << "  | " << line << '\n';
    row("Document code", doc.document_code.value);
    row("Issuing state", with_country(doc.issuing_state));
    row("Surname", doc.surname.value + (doc.name_possibly_truncated ? "  (may be truncated)" : ""));
    row("Given names", doc.given_names.value);
    row("Document number", doc.document_number.value + check_mark(doc, "document_number"));
    row("Nationality", with_country(doc.nationality));
    row("Date of birth", doc.birth_date.iso() + check_mark(doc, "birth_date"));
    row("Sex", doc.sex.value.empty() ? "unspecified" : doc.sex.value);
    row("Date of expiry", doc.expiry_date.iso() + check_mark(doc, "expiry_date"));
    row("Optional data", doc.optional_data.value + check_mark(doc, "optional_data"));
    if (doc.format == Format::TD1) row("Optional data 2", doc.optional_data_2.value);
    if (doc.check("composite")) row("Composite", check_mark(doc, "composite").substr(2));
  }
  for (const auto& p : doc.problems) {
    out << "  " << to_string(p.severity) << ": " << p.message;
    if (p.line > 0 && p.position > 0) out << " (line " << p.line << ", position " << p.position << ")";
    out << '\n';
  }
}

int run_parse(const ParseArgs& args, Streams streams) {
  ParseOptions options;
  if (!args.as_of.empty()) {
    options.as_of = parse_iso_date(args.as_of);
    if (!options.as_of) {
      streams.err << "borderpost mrz parse: --as-of takes a date as YYYY-MM-DD, not '" << args.as_of << "'\n";
      return kExitUnusable;
    }
  }
  std::vector<std::vector<std::string>> blocks;
  if (args.lines.empty()) {
    if (&streams.in == &std::cin && isatty(STDIN_FILENO)) {
      streams.err << "reading MRZ lines from standard input; a blank line separates documents, Ctrl-D ends\n";
    }
    blocks = read_blocks(streams.in);
  } else {
    blocks.push_back(args.lines);
  }
  if (blocks.empty()) {
    streams.err << "borderpost mrz parse: no MRZ given (pass the lines as arguments or on standard input)\n";
    return kExitUnusable;
  }
  int status = kExitValid;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto doc = parse(blocks[i], options);
    if (args.json) {
      streams.out << to_json(doc).dump() << '\n';
    } else {
      print_human(streams.out, doc, i, blocks.size());
    }
    if (!doc.usable()) {
      streams.err << "borderpost mrz parse: document " << i + 1 << " is not an MRZ: "
                  << (doc.problems.empty() ? "unreadable" : doc.problems.back().message) << '\n';
      status = kExitUnusable;
    } else if (!doc.valid() && status == kExitValid) {
      status = kExitInvalid;
    }
  }
  return status;
}

}  // namespace

void add_mrz_commands(CLI::App& app, Streams streams, int& exit_code) {
  auto* group = app.add_subcommand("mrz", "Machine-readable zones (ICAO Doc 9303)");
  group->require_subcommand(1);
  auto args = std::make_shared<ParseArgs>();
  auto* parse_cmd = group->add_subcommand(
      "parse",
      "Parse and validate an MRZ (TD1, TD2, TD3, MRV-A, MRV-B).\n"
      "Lines come as arguments (one document) or on standard input (documents separated by blank lines).\n"
      "Exit status: 0 all documents valid, 1 a document failed a check, 2 input is not an MRZ or usage error.");
  parse_cmd->add_option("LINE", args->lines, "MRZ lines of one document");
  parse_cmd->add_flag("--json", args->json, "Print one JSON object per document");
  parse_cmd->add_option("--as-of", args->as_of, "Date for the century rule, YYYY-MM-DD (default: today)");
  parse_cmd->callback([args, streams, &exit_code] { exit_code = run_parse(*args, streams); });
}

}  // namespace mrz::cli
