#include "store/movement_csv.hpp"

namespace borderpost::station {
namespace {

const char* const kColumns[] = {"local_date", "local_time", "direction", "decision", "refusal_reason", "inspector", "source",
                                "document_format", "document_code", "issuer", "document_number", "expiry", "surname",
                                "given_names", "nationality", "birth_date", "sex", "verdict", "alerts", "seq", "uuid"};

}  // namespace

std::string csv_cell(const std::string& text) {
  std::string cell;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) cell.push_back('\'');
  cell.append(text);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted(1, '"');
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string movement_csv_header() {
  std::string header;
  for (const char* c : kColumns) header.append(header.empty() ? "" : ",").append(c);
  header.append("\r\n");
  return header;
}

std::string movement_csv_row(const StoredMovement& m) {
  const auto& d = m.draft;
  const auto& mv = d.movement;
  const std::string cells[] = {m.local_date, m.local_time, mv.direction, mv.decision, d.refusal_reason, mv.inspector,
                               std::string(to_string(d.source)), mv.document.format, mv.document.code, mv.document.issuer,
                               mv.document.number, mv.document.expiry, mv.traveller.surname, mv.traveller.given_names,
                               mv.traveller.nationality, mv.traveller.birth_date, mv.traveller.sex, mv.checks.verdict,
                               std::to_string(m.alerts), std::to_string(m.seq), m.uuid};
  static_assert(std::size(cells) == std::size(kColumns));
  std::string line;
  for (const auto& c : cells) line.append(line.empty() ? "" : ",").append(csv_cell(c));
  line.append("\r\n");
  return line;
}

}  // namespace borderpost::station
