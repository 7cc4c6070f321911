// JSON form of a parsed document; the keys are the command-line contract documented in the README.
#include "mrz/json.hpp"

#include "mrz/countries.hpp"

namespace mrz {

namespace {

nlohmann::json args_json(const MessageArgs& args) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : args) out[name] = value;
  return out;
}

}  // namespace

nlohmann::json to_json(const Document& document) {
  nlohmann::json checks = nlohmann::json::object();
  for (const auto& c : document.checks) checks[c.field] = c.ok;
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : document.problems) {
    problems.push_back({{"field", p.field},
                        {"line", p.line},
                        {"position", p.position},
                        {"severity", to_string(p.severity)},
                        {"message", p.message},
                        {"code", p.code},
                        {"args", args_json(p.args)}});
  }
  auto country_name = [](const Field& f) -> nlohmann::json {
    const auto found = find_country(f.value);
    return found ? nlohmann::json(std::string(found->name)) : nlohmann::json(nullptr);
  };
  return {
      {"valid", document.valid()},
      {"format", document.usable() ? nlohmann::json(std::string(to_string(document.format))) : nlohmann::json(nullptr)},
      {"lines", document.lines},
      {"document_code", document.document_code.value},
      {"issuing_state", document.issuing_state.value},
      {"issuing_state_name", country_name(document.issuing_state)},
      {"surname", document.surname.value},
      {"given_names", document.given_names.value},
      {"name_possibly_truncated", document.name_possibly_truncated},
      {"document_number", document.document_number.value},
      {"long_document_number", document.long_document_number},
      {"nationality", document.nationality.value},
      {"nationality_name", country_name(document.nationality)},
      {"birth_date", document.birth_date.iso()},
      {"sex", document.sex.value},
      {"expiry_date", document.expiry_date.iso()},
      {"optional_data", document.optional_data.value},
      {"optional_data_2", document.optional_data_2.value},
      {"checks", checks},
      {"problems", problems},
  };
}

}  // namespace mrz
