// Phrases to and from JSON (the local API and the movement_checks table).
#include "phrase/phrase.hpp"

namespace borderpost::station {

Phrase problem_phrase(const mrz::Problem& problem) {
  return Phrase{problem.code.empty() ? std::string() : "problem." + problem.code, problem.args, {}};
}

nlohmann::json to_json(const Phrase& phrase) {
  if (phrase.empty()) return nullptr;
  nlohmann::json j = nlohmann::json::object();
  if (!phrase.key.empty()) j["key"] = phrase.key;
  if (!phrase.args.empty()) {
    auto& args = j["args"] = nlohmann::json::object();
    for (const auto& [name, value] : phrase.args) args[name] = value;
  }
  if (!phrase.parts.empty()) {
    auto& parts = j["parts"] = nlohmann::json::array();
    for (const auto& part : phrase.parts) parts.push_back(to_json(part));
  }
  return j;
}

Phrase phrase_from_json(const nlohmann::json& j) {
  Phrase phrase;
  if (!j.is_object()) return phrase;
  if (const auto key = j.find("key"); key != j.end() && key->is_string()) phrase.key = key->get<std::string>();
  if (const auto args = j.find("args"); args != j.end() && args->is_object()) {
    for (const auto& [name, value] : args->items())
      if (value.is_string()) phrase.args.emplace_back(name, value.get<std::string>());
  }
  if (const auto parts = j.find("parts"); parts != j.end() && parts->is_array()) {
    for (const auto& part : *parts) phrase.parts.push_back(phrase_from_json(part));
  }
  return phrase;
}

}  // namespace borderpost::station
