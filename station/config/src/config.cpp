// Loads config/station.toml strictly: every key known, every value of the right type and range.
#include "config/config.hpp"

#include <filesystem>
#include <set>
#include <sstream>

#include <spdlog/spdlog.h>
#include <toml++/toml.h>

namespace borderpost::station {
namespace {

namespace fs = std::filesystem;

// Reads one table, remembering which keys were understood so the rest can be refused.
class Section {
 public:
  Section(const toml::table& table, std::string prefix, const std::string& file)
      : table_(table), prefix_(std::move(prefix)), file_(file) {}

  [[noreturn]] void fail(const toml::node& node, const std::string& key, const std::string& why) const {
    std::ostringstream out;
    out << file_ << ":" << node.source().begin.line << ": " << prefix_ << key << " " << why;
    throw ConfigError(out.str());
  }

  template <typename T>
  T get(const std::string& key, T fallback) {
    seen_.insert(key);
    const toml::node* node = table_.get(key);
    if (!node) return fallback;
    if (auto value = node->value_exact<T>()) return *value;
    if constexpr (std::is_same_v<T, double>)
      if (auto integer = node->value_exact<std::int64_t>()) return static_cast<double>(*integer);
    fail(*node, key, std::string("must be ") + type_name<T>());
  }

  int integer(const std::string& key, int fallback, int low, int high) {
    const auto value = get<std::int64_t>(key, fallback);
    if (value < low || value > high)
      fail(*table_.get(key), key, "must be between " + std::to_string(low) + " and " + std::to_string(high));
    return static_cast<int>(value);
  }

  double number(const std::string& key, double fallback, double low, double high) {
    const auto value = get<double>(key, fallback);
    if (!(value >= low && value <= high)) {
      std::ostringstream range;
      range << "must be between " << low << " and " << high;
      fail(*table_.get(key), key, range.str());
    }
    return value;
  }

  std::string choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& allowed) {
    auto value = get<std::string>(key, fallback);
    for (const auto& a : allowed)
      if (value == a) return value;
    std::string list;
    for (const auto& a : allowed) list.append(list.empty() ? "" : ", ").append("\"").append(a).append("\"");
    fail(*table_.get(key), key, "must be one of " + list);
  }

  // A path relative to the configuration file; `must_exist` refuses one that is not there.
  std::string path(const std::string& key, const std::string& fallback, const fs::path& base, bool must_exist) {
    const auto value = get<std::string>(key, fallback);
    if (value.empty()) return value;
    const fs::path p = fs::path(value).is_absolute() ? fs::path(value) : (base / value).lexically_normal();
    std::error_code ec;
    if (must_exist && !fs::exists(p, ec)) {
      const toml::node* node = table_.get(key);
      if (node) fail(*node, key, "names " + p.string() + ", which does not exist");
      throw ConfigError(file_ + ": " + prefix_ + key + " (default " + value + ") names " + p.string() + ", which does not exist");
    }
    return p.string();
  }

  const toml::table* table(const std::string& key) {
    seen_.insert(key);
    const toml::node* node = table_.get(key);
    if (!node) return nullptr;
    if (!node->is_table()) fail(*node, key, "must be a table");
    return node->as_table();
  }

  const toml::array* array(const std::string& key) {
    seen_.insert(key);
    const toml::node* node = table_.get(key);
    if (!node) return nullptr;
    if (!node->is_array()) fail(*node, key, "must be an array");
    return node->as_array();
  }

  // Anything the file says that this program does not understand is a mistake worth stopping for.
  void refuse_unknown() const {
    for (const auto& [key, node] : table_)
      if (!seen_.contains(std::string(key.str())))
        fail(node, std::string(key.str()), "is not a known option (misspelt, or in the wrong section?)");
  }

 private:
  template <typename T>
  static const char* type_name() {
    if constexpr (std::is_same_v<T, std::string>) return "a string";
    else if constexpr (std::is_same_v<T, bool>) return "true or false";
    else if constexpr (std::is_same_v<T, double>) return "a number";
    else return "an integer";
  }

  const toml::table& table_;
  std::string prefix_;
  const std::string& file_;
  std::set<std::string> seen_;
};

bool is_country_code(const std::string& code) {
  if (code.empty() || code.size() > 3) return false;
  for (char c : code)
    if (c < 'A' || c > 'Z') return false;
  return true;
}

void read_post(Section& s, StationConfig::Post& post) {
  post.station_id = s.get<std::string>("station_id", "");
  if (post.station_id.empty()) throw ConfigError(std::string("post.station_id is required"));
  for (char c : post.station_id)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
      throw ConfigError("post.station_id may hold A-Z, 0-9 and '-' only (at most 32)");
  post.name = s.get<std::string>("name", post.station_id);
  post.country = s.get<std::string>("country", "");
  if (!is_country_code(post.country)) throw ConfigError("post.country must be an ICAO state code such as \"PER\"");
  post.time_zone = s.get<std::string>("time_zone", "UTC");
  if (post.time_zone.find("..") != std::string::npos || !fs::exists(fs::path("/usr/share/zoneinfo") / post.time_zone))
    throw ConfigError("post.time_zone \"" + post.time_zone + "\" is not a time zone known to this machine (tzdata), e.g. \"America/Lima\"");
  // choice() admits only the two words direction_named() knows.
  post.default_direction =
      *direction_named(s.choice("default_direction", std::string(to_string(post.default_direction)), {"entry", "exit"}));
  const auto pinned = s.get<std::string>("pinned_date", "");
  if (!pinned.empty()) {
    post.pinned_date = parse_iso_day(pinned);
    if (!post.pinned_date) throw ConfigError("post.pinned_date must be a date YYYY-MM-DD or \"\"");
  }
}

// The optical security checks' tolerances: wide enough for any real reader, narrow enough to refuse
// a slip of unit (5 for a 5 % pitch tolerance, 60 for a 0.6 contrast) or a tolerance of nothing.
void read_security_rules(Section& s, SecurityRules& rules) {
  rules.ir_min_contrast = s.number("ir_min_contrast", rules.ir_min_contrast, 0.1, 1.0);
  rules.uv_max_brightness = s.number("uv_max_brightness", rules.uv_max_brightness, 0.05, 1.0);
  rules.pitch_tolerance = s.number("pitch_tolerance", rules.pitch_tolerance, 0.01, 0.5);
  rules.line_spacing_tolerance_mm = s.number("line_spacing_tolerance_mm", rules.line_spacing_tolerance_mm, 0.05, 4.0);
  rules.position_tolerance_mm = s.number("position_tolerance_mm", rules.position_tolerance_mm, 0.1, 10.0);
  rules.max_skew_degrees = s.number("max_skew_degrees", rules.max_skew_degrees, 0.1, 45.0);
  rules.viz_min_characters = s.integer("viz_min_characters", rules.viz_min_characters, 0, 500);
}

void read_rules(Section& s, Rules& rules, const std::string& file) {
  rules.age_of_majority = s.integer("age_of_majority", rules.age_of_majority, 14, 21);
  rules.expires_soon_days = s.integer("expires_soon_days", rules.expires_soon_days, 0, 3650);
  rules.default_stay_days = s.integer("default_stay_days", rules.default_stay_days, 1, 3650);
  rules.person_alert_score = s.get<double>("person_alert_score", rules.person_alert_score);
  rules.person_review_score = s.get<double>("person_review_score", rules.person_review_score);
  if (!(rules.person_review_score > 0 && rules.person_review_score <= rules.person_alert_score && rules.person_alert_score <= 1))
    throw ConfigError("rules: 0 < person_review_score <= person_alert_score <= 1 must hold");
  const auto codes = [&](const char* name, std::vector<std::string>& out) {
    const auto* list = s.array(name);
    if (!list) return;
    out.clear();
    for (const auto& n : *list) {
      auto code = n.value_exact<std::string>();
      if (!code || !is_country_code(*code))
        throw ConfigError(file + ":" + std::to_string(n.source().begin.line) + ": rules." + name + " holds codes of A-Z such as \"P\" or \"COL\"");
      out.push_back(*code);
    }
  };
  codes("chip_expected_codes", rules.chip_expected_codes);
  codes("chip_not_expected_issuers", rules.chip_not_expected_issuers);
  if (const auto* stays = s.array("stay")) {
    for (const auto& node : *stays) {
      const auto* t = node.as_table();
      if (!t) throw ConfigError(file + ":" + std::to_string(node.source().begin.line) + ": rules.stay entries must be tables");
      Section stay(*t, "rules.stay.", file);
      StayRule rule;
      rule.group = stay.get<std::string>("group", "");
      rule.days = stay.integer("days", 90, 1, 3650);
      if (const auto* list = stay.array("nationalities"))
        for (const auto& n : *list) {
          auto code = n.value_exact<std::string>();
          if (!code || !is_country_code(*code))
            throw ConfigError(file + ":" + std::to_string(n.source().begin.line) + ": rules.stay.nationalities holds ICAO codes such as \"COL\"");
          rule.nationalities.push_back(*code);
        }
      if (rule.group.empty() || rule.nationalities.empty())
        throw ConfigError(file + ":" + std::to_string(t->source().begin.line) + ": a rules.stay entry needs a group and nationalities");
      stay.refuse_unknown();
      rules.stays.push_back(std::move(rule));
    }
  }
  if (const auto* table = s.table("security")) {
    Section security(*table, "rules.security.", file);
    read_security_rules(security, rules.security);
    security.refuse_unknown();
  }
}

}  // namespace

std::string signing_key_path(const StationConfig& config) {
  const fs::path dir = config.sync.credentials.empty() ? fs::path(config.data_dir) : fs::path(config.sync.credentials);
  return (dir / "signing.key").string();
}

sync::SigningKey load_signing_key(const StationConfig& config, bool read_only) {
  const auto path = signing_key_path(config);
  if (!config.sync.credentials.empty() || fs::exists(path)) return sync::SigningKey::load(path);
  auto key = sync::SigningKey::generate();
  if (read_only) return key;  // nothing will be signed on a read-only disk
  key.save(path);
  spdlog::warn("no sync credentials: records are signed with a local key ({}) the central office does not know", path);
  return key;
}

namespace {

toml::table parse_config_file(const std::string& path) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw ConfigError(path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
}

// Reads one top-level table with `read`, refusing options it does not know; an error without a
// place is given the table's line.
template <class Read>
void read_section(Section& top, const char* name, const std::string& path, Read&& read) {
  static const toml::table empty;
  const toml::table* t = top.table(name);
  Section s(t ? *t : empty, std::string(name) + ".", path);
  try {
    read(s);
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    if (what.rfind(path, 0) == 0) throw;
    const int line = t ? t->source().begin.line : 0;
    throw ConfigError(path + ":" + std::to_string(line) + ": " + what);
  }
  s.refuse_unknown();
}

}  // namespace

Rules load_station_rules(const std::string& path) {
  const toml::table root = parse_config_file(path);
  Section top(root, "", path);
  Rules rules;
  read_section(top, "rules", path, [&](Section& s) { read_rules(s, rules, path); });
  return rules;
}

StationConfig load_station_config(const std::string& path) {
  const toml::table root = parse_config_file(path);
  const fs::path base = fs::absolute(path).parent_path();
  StationConfig c;
  c.file = path;
  Section top(root, "", path);
  auto section = [&](const char* name, auto&& read) { read_section(top, name, path, read); };
  section("post", [&](Section& s) { read_post(s, c.post); });
  c.data_dir = top.path("data_dir", "data", base, false);
  section("store", [&](Section& s) { c.store.max_size_mb = s.integer("max_size_mb", 0, 0, 1'000'000); });
  section("devices", [&](Section& s) {
    c.devices.page_reader = s.path("page_reader", "", base, true);
    c.devices.samples = s.path("samples", "", base, true);
    c.devices.chip_reader = s.get<std::string>("chip_reader", "");
    c.devices.chip_wait_ms = s.integer("chip_wait_ms", c.devices.chip_wait_ms, 100, 60'000);
    c.devices.traveller_camera = s.path("traveller_camera", "", base, true);
  });
  section("reading", [&](Section& s) {
    c.reading.workers = s.integer("workers", c.reading.workers, 1, 16);
    c.reading.time_budget_ms = s.get<double>("time_budget_ms", c.reading.time_budget_ms);
    if (c.reading.time_budget_ms < 0) throw ConfigError("reading.time_budget_ms must be 0 (no limit) or more");
  });
  section("rules", [&](Section& s) { read_rules(s, c.rules, path); });
  if (const auto* reasons = top.array("refusal_reasons")) {
    for (const auto& node : *reasons) {
      const auto* t = node.as_table();
      if (!t) throw ConfigError(path + ":" + std::to_string(node.source().begin.line) + ": refusal_reasons entries must be tables");
      Section r(*t, "refusal_reasons.", path);
      RefusalReason reason{r.get<std::string>("code", ""), r.get<std::string>("label", ""), {}};
      if (reason.code.empty() || reason.label.empty())
        throw ConfigError(path + ":" + std::to_string(t->source().begin.line) + ": a refusal reason needs a code and a label");
      if (const auto* labels = r.table("labels")) {
        Section l(*labels, "refusal_reasons.labels.", path);
        for (const char* language : {"es", "pt", "en", "fr"})
          if (auto text = l.get<std::string>(language, ""); !text.empty()) reason.labels[language] = std::move(text);
        l.refuse_unknown();
      }
      r.refuse_unknown();
      c.refusal_reasons.push_back(std::move(reason));
    }
  }
  if (c.refusal_reasons.empty()) {
    c.refusal_reasons = {
        {"A", "No valid travel document",
         {{"es", "Sin documento de viaje válido"}, {"pt", "Sem documento de viagem válido"}, {"fr", "Pas de document de voyage valable"}}},
        {"B", "False or altered document",
         {{"es", "Documento falso o alterado"}, {"pt", "Documento falso ou alterado"}, {"fr", "Document faux ou falsifié"}}},
        {"Z", "Other (see note)", {{"es", "Otro (ver nota)"}, {"pt", "Outro (ver nota)"}, {"fr", "Autre (voir la note)"}}}};
  }
  section("api", [&](Section& s) {
    c.api.address = s.get<std::string>("address", c.api.address);
    c.api.port = s.integer("port", c.api.port, 0, 65535);
    c.api.web_dir = s.path("web_dir", "", base, true);
  });
  section("accounts", [&](Section& s) {
    auto& a = c.accounts;
    a.session_idle_minutes = s.integer("session_idle_minutes", a.session_idle_minutes, 1, 480);
    a.session_hours = s.integer("session_hours", a.session_hours, 1, 24);
    a.lockout_failures = s.integer("lockout_failures", a.lockout_failures, 1, 100);
    a.lockout_minutes = s.integer("lockout_minutes", a.lockout_minutes, 1, 1440);
    a.password_memory_kib = s.integer("password_memory_kib", a.password_memory_kib, 256, 4 * 1024 * 1024);
    a.password_passes = s.integer("password_passes", a.password_passes, 1, 10);
  });
  section("sync", [&](Section& s) {
    c.sync.enabled = s.get<bool>("enabled", c.sync.enabled);
    c.sync.central = s.get<std::string>("central", c.sync.central);
    if (c.sync.central.find(':') == std::string::npos) throw ConfigError("sync.central must be host:port");
    c.sync.server_name = s.get<std::string>("server_name", "");
    c.sync.credentials = s.path("credentials", "", base, c.sync.enabled);
    if (c.sync.enabled && c.sync.credentials.empty()) throw ConfigError("sync.credentials is required when sync is enabled");
    c.sync.batch_size = s.integer("batch_size", c.sync.batch_size, 1, 10'000);
    c.sync.interval_s = s.integer("interval_s", c.sync.interval_s, 1, 86'400);
  });
  section("log", [&](Section& s) { c.log_level = s.choice("level", c.log_level, {"debug", "info", "warn", "error"}); });
  top.refuse_unknown();
  return c;
}

}  // namespace borderpost::station
