// The records endpoints of the local API (see office_api.hpp).
#include "web/office_api.hpp"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "web/api_support.hpp"
#include "web/desk.hpp"
#include "store/day_signoff.hpp"
#include "inspection/inspection.hpp"
#include "store/movement_csv.hpp"
#include "store/statistics.hpp"
#include "sync/record.hpp"

namespace borderpost::station {
namespace {

using namespace api;
namespace fs = std::filesystem;

constexpr std::size_t kDefaultPage = 500, kLargestPage = 5000;

HttpResponse supervisors_only(const HttpRequest& request, const char* what) {
  return error(request, http::status::forbidden, std::string(what) + " are for supervisors", {"error.supervisors_only"});
}

// from..to of the query (or `date`, or today), at most `max_days` long.
std::pair<std::string, std::string> day_range(const std::string& target, const std::string& today, int max_days) {
  const auto date = query_value(target, "date");
  std::string from = date.empty() ? query_value(target, "from") : date, to = date.empty() ? query_value(target, "to") : date;
  if (from.empty() && to.empty()) from = to = today;
  const auto first = parse_iso_day(from), last = parse_iso_day(to);
  if (!first || !last || *last < *first) throw BadRequest("from and to must be days YYYY-MM-DD, from not after to", {"error.office.range_order"});
  if (std::chrono::sys_days(*last) - std::chrono::sys_days(*first) > std::chrono::days(max_days))
    throw BadRequest("the range covers at most " + std::to_string(max_days) + " days",
                     {"error.office.range", {{"days", std::to_string(max_days)}}});
  return {from, to};
}

// The UTC instant of a local midnight at the post (the process runs in the post's time zone).
std::string utc_of_local_midnight(std::chrono::year_month_day day) {
  std::tm local{};
  local.tm_year = static_cast<int>(day.year()) - 1900;
  local.tm_mon = static_cast<int>(static_cast<unsigned>(day.month())) - 1;
  local.tm_mday = static_cast<int>(static_cast<unsigned>(day.day()));
  local.tm_isdst = -1;
  const std::time_t t = std::mktime(&local);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return text;
}

json to_json(const PostStatistics& s) {
  auto counts = [](const DirectionCounts& c, json more = json::object()) {
    more.update(json{{"entries", c.entries}, {"exits", c.exits}, {"total", c.total()}});
    return more;
  };
  auto ranked = [](const std::map<std::string, std::uint64_t>& m) {
    std::vector<std::pair<std::string, std::uint64_t>> rows(m.begin(), m.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    json list = json::array();
    for (const auto& [key, n] : rows) list.push_back({{"key", key}, {"count", n}});
    return list;
  };
  json hours = json::array(), days = json::array(), bands = json::array();
  for (std::size_t h = 0; h < s.per_hour.size(); ++h) hours.push_back(counts(s.per_hour[h], {{"hour", h}}));
  for (const auto& [day, c] : s.per_day) days.push_back(counts(c, {{"date", day}}));
  for (const char* band : {"0-11", "12-17", "18-29", "30-44", "45-59", "60+", "unknown"}) {  // in age order, not by size
    const auto it = s.age_band.find(band);
    if (it != s.age_band.end()) bands.push_back({{"key", band}, {"count", it->second}});
  }
  return {{"from", s.from},
          {"to", s.to},
          {"totals", counts(s.totals, {{"admitted", s.admitted}, {"refused", s.refused}, {"referred", s.referred},
                                       {"with_alerts", s.with_alerts}})},
          {"per_hour", hours},
          {"per_day", days},
          {"nationality", ranked(s.nationality)},
          {"sex", ranked(s.sex)},
          {"age_band", bands},
          {"refusal_reason", ranked(s.refusal_reason)},
          {"alerts", ranked(s.alerts)}};
}

json to_json(const AuditEntry& e) {
  return {{"id", e.id}, {"at", e.at}, {"actor", e.actor}, {"action", e.action}, {"subject", e.subject}, {"detail", e.detail}};
}

std::size_t page_limit(const std::string& target, std::size_t fallback, std::size_t largest) {
  const auto limit = query_value(target, "limit");
  if (limit.empty()) return fallback;
  if (limit.size() > 5 || limit.find_first_not_of("0123456789") != std::string::npos || std::stoul(limit) < 1 || std::stoul(limit) > largest)
    throw BadRequest("limit must be 1 to " + std::to_string(largest));
  return std::stoul(limit);
}

}  // namespace

std::optional<HttpResponse> OfficeApi::handle(const HttpRequest& request, const std::string& path, const Session& who) {
  const auto method = request.method();
  if (method == http::verb::get && path == "/api/movements") return list_movements(request, who);
  if (method == http::verb::get && path == "/api/movements/export") return export_movements(request, who);
  if (method == http::verb::get && path.rfind("/api/movements/", 0) == 0) {
    const auto rest = path.substr(15);
    const auto slash = rest.find("/images/");
    if (slash == std::string::npos) return one_movement(request, rest, who);
    return movement_image(request, rest.substr(0, slash), rest.substr(slash + 8), who);
  }
  if (method == http::verb::get && path == "/api/statistics") return statistics(request, who);
  if (method == http::verb::get && path == "/api/audit") return audit_trail(request, who);
  if (path.rfind("/api/days/", 0) == 0) {
    const auto rest = path.substr(10);
    if (method == http::verb::get && rest.find('/') == std::string::npos) return day(request, rest, who);
    if (method == http::verb::post && rest.size() > 9 && rest.ends_with("/sign-off")) return sign_off(request, rest.substr(0, rest.size() - 9), who);
  }
  return std::nullopt;
}

HttpResponse OfficeApi::list_movements(const HttpRequest& request, const Session& who) {
  const std::string target(request.target());
  MovementFilter f;
  const auto today = c_.today();
  const auto date = query_value(target, "date");
  f.from = date.empty() ? query_value(target, "from") : date;
  f.to = date.empty() ? query_value(target, "to") : date;
  if (f.from.empty() && f.to.empty()) f.from = f.to = today;
  for (const auto* d : {&f.from, &f.to})
    if (!d->empty() && !sync::is_iso_date(*d)) throw BadRequest("dates must be YYYY-MM-DD");
  if (!at_least(who.role, Role::Supervisor) && (f.from != today || f.to != f.from))
    return error(request, http::status::forbidden, "an inspector sees today's movements only; other days are for supervisors",
                 {"error.office.today_only"});
  f.direction = query_value(target, "direction");
  f.decision = query_value(target, "decision");
  f.inspector = query_value(target, "inspector");
  f.nationality = query_value(target, "nationality");
  f.alerts_only = query_value(target, "alerts") == "1";
  f.details = false;  // the list shows the alert count, not the checks
  if (const auto after = query_value(target, "after"); !after.empty()) {
    f.after = MovementCursor::parse(after);
    if (!f.after) throw BadRequest("after must be the next cursor of an earlier page");
  }
  f.limit = page_limit(target, kDefaultPage, kLargestPage) + 1;  // one more tells whether another page follows
  auto page = c_.store.movements(f);
  --f.limit;
  json next = nullptr;
  if (page.size() > f.limit) {
    page.pop_back();
    next = MovementCursor{page.back().local_date, page.back().id}.text();
  }
  json list = json::array();
  for (const auto& m : page) list.push_back(to_json(m, false));
  const auto total = f.after ? json(nullptr) : json(c_.store.count_movements(f));  // on the first page only
  c_.audit(who.account, "movements.listed", f.from + ".." + f.to, std::to_string(page.size()) + " movements");
  return ok(request, {{"from", f.from}, {"to", f.to}, {"count", list.size()}, {"total", total}, {"next", next}, {"movements", list}});
}

// The supervisor's export: every movement of a range of days as CSV, audited.
HttpResponse OfficeApi::export_movements(const HttpRequest& request, const Session& who) {
  if (!at_least(who.role, Role::Supervisor)) return supervisors_only(request, "exports");
  const std::string target(request.target());
  if (query_value(target, "from").empty() || query_value(target, "to").empty()) throw BadRequest("from and to are required");
  MovementFilter f;
  std::tie(f.from, f.to) = day_range(target, c_.today(), 366);
  f.details = false;
  std::string csv = movement_csv_header();
  std::uint64_t rows = 0;
  c_.store.each_movement(f, [&](const StoredMovement& m) {
    csv += movement_csv_row(m);
    ++rows;
  });
  c_.audit(who.account, "movements.exported", f.from + ".." + f.to, std::to_string(rows) + " movements as csv");
  auto response = bytes_response(request, "text/csv; charset=utf-8", std::move(csv));
  response.set(http::field::content_disposition, "attachment; filename=\"movements-" + f.from + "-" + f.to + ".csv\"");
  return response;
}

// Inspectors see today's movements only; another day's is as good as absent to them.
std::optional<StoredMovement> OfficeApi::visible_movement(const std::string& uuid, const Session& who) const {
  auto m = c_.store.movement(uuid);
  if (m && !at_least(who.role, Role::Supervisor) && m->local_date != c_.today()) return std::nullopt;
  return m;
}

// Not recorded here, or (for an inspector) not one of today's: the same answer, nothing revealed.
static HttpResponse no_such_movement(const HttpRequest& request, const std::string& uuid) {
  return error(request, http::status::not_found, "no movement " + uuid + " that you may see at this post", {"error.movement.not_found"});
}

HttpResponse OfficeApi::one_movement(const HttpRequest& request, const std::string& uuid, const Session& who) {
  const auto m = visible_movement(uuid, who);
  if (!m) return no_such_movement(request, uuid);
  c_.audit(who.account, "movement.viewed", uuid, "");
  return ok(request, to_json(*m, true));
}

// A recorded page image (white, IR or UV) of one movement: a view of personal data, audited.
HttpResponse OfficeApi::movement_image(const HttpRequest& request, const std::string& uuid, const std::string& light, const Session& who) {
  const auto m = visible_movement(uuid, who);
  if (!m) return no_such_movement(request, uuid);
  for (const auto& image : m->draft.images) {
    if (image.light != light) continue;
    std::ifstream in(fs::path(c_.config.data_dir) / image.path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof())
      return error(request, http::status::gone, "the " + light + " image of this movement is no longer readable (" + image.path + ")",
                   {"error.movement.image_lost", {{"light", light}}});
    if (bytes.empty())
      return error(request, http::status::gone, "the " + light + " image of this movement is missing (" + image.path + ")",
                   {"error.movement.image_lost", {{"light", light}}});
    c_.audit(who.account, "movement.image-viewed", uuid, light);
    return bytes_response(request, image.path.ends_with(".png") ? "image/png" : "image/jpeg", std::move(bytes));
  }
  return error(request, http::status::not_found, "this movement has no " + light + " image");
}

HttpResponse OfficeApi::statistics(const HttpRequest& request, const Session& who) {
  if (!at_least(who.role, Role::Supervisor)) return supervisors_only(request, "statistics");
  const auto [from, to] = day_range(std::string(request.target()), c_.today(), 366);
  return ok(request, to_json(compute_statistics(c_.store.db(), from, to)));
}

HttpResponse OfficeApi::day(const HttpRequest& request, const std::string& date, const Session& who) {
  if (!at_least(who.role, Role::Supervisor)) return supervisors_only(request, "day sign-offs");
  if (!parse_iso_day(date)) throw BadRequest("the day must be YYYY-MM-DD");
  const auto totals = day_totals(c_.store.db(), date);
  json answer{{"totals", to_json(totals)}, {"sign_off", nullptr}};
  if (const auto signed_off = latest_sign_off(c_.store.db(), date)) {
    answer["sign_off"] = to_json(*signed_off);
    answer["sign_off"]["state"] = to_string(check_sign_off(*signed_off, c_.key.get(), totals));
  }
  return ok(request, answer);
}

// A supervisor signs off a day: its totals and records digest, signed with the station's key and
// kept in the audit trail. A day already signed off is signed again only when its records changed.
HttpResponse OfficeApi::sign_off(const HttpRequest& request, const std::string& date, const Session& who) {
  if (!at_least(who.role, Role::Supervisor)) return supervisors_only(request, "day sign-offs");
  const auto day = parse_iso_day(date);
  if (!day) throw BadRequest("the day must be YYYY-MM-DD");
  if (date > c_.today())
    throw BadRequest("a day can be signed off once it has begun; " + date + " is still to come", {"error.signoff.future", {{"date", date}}});
  const auto body = body_object(request);
  const auto note = text_field(body, "note");
  if (note.size() > 2000) throw BadRequest("the note is longer than 2000 characters", {"error.signoff.note"});
  if (!c_.store_problem().empty()) return not_written(request, said("The sign-off was NOT recorded.", "error.signoff.store"), c_.store_problem());
  auto totals = day_totals(c_.store.db(), date);
  if (const auto earlier = latest_sign_off(c_.store.db(), date);
      earlier && check_sign_off(*earlier, c_.key.get(), totals) == SignOffState::Intact)
    return error(request, http::status::conflict,
                 date + " was already signed off by " + earlier->supervisor + " at " + earlier->signed_at + " and its records are unchanged",
                 {"error.signoff.again", {{"date", date}, {"supervisor", earlier->supervisor}, {"at", earlier->signed_at}}});
  const auto signed_off = sign_day(std::move(totals), c_.config.post.station_id, who.account, sync::now().utc, note, c_.key);
  c_.store.audit(who.account, kSignOffAction, date, to_json(signed_off).dump());  // not c_.audit: a sign-off that is not kept must fail
  auto answer = to_json(signed_off);
  answer["state"] = to_string(SignOffState::Intact);
  return ok(request, answer, http::status::created);
}

HttpResponse OfficeApi::audit_trail(const HttpRequest& request, const Session& who) {
  if (!at_least(who.role, Role::Supervisor)) return supervisors_only(request, "the audit trail and its entries");
  const std::string target(request.target());
  AuditFilter f;
  if (const auto date = query_value(target, "date"); !date.empty()) {
    const auto day = parse_iso_day(date);
    if (!day) throw BadRequest("date must be YYYY-MM-DD");
    f.from_utc = utc_of_local_midnight(*day);
    f.to_utc = utc_of_local_midnight(std::chrono::year_month_day(std::chrono::sys_days(*day) + std::chrono::days(1)));
  }
  f.actor = query_value(target, "actor");
  f.action_prefix = query_value(target, "action");
  if (const auto before = query_value(target, "before"); !before.empty()) {
    if (before.size() > 18 || before.find_first_not_of("0123456789") != std::string::npos) throw BadRequest("before must be an entry id");
    f.before_id = std::stoll(before);
  }
  f.limit = page_limit(target, 200, 1000) + 1;
  auto entries = c_.store.audit_trail(f);
  json next = nullptr;
  if (entries.size() > f.limit - 1) {
    entries.pop_back();
    next = entries.back().id;
  }
  json list = json::array();
  for (const auto& e : entries) list.push_back(to_json(e));
  // The trail names travellers' documents (the desk's and the movements' subjects): reading it is
  // itself a view of personal data.
  const auto query = target.find('?');
  c_.audit(who.account, "audit.viewed", query == std::string::npos ? "" : target.substr(query + 1), std::to_string(list.size()) + " entries");
  return ok(request, {{"count", list.size()}, {"next", next}, {"entries", list}});
}

}  // namespace borderpost::station
