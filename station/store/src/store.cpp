// The station database: schema migrations, the one-transaction movement write, and its queries.
#include "store/store.hpp"

#include <stdexcept>

#include "sync/crypto.hpp"
#include "sync/record.hpp"

namespace borderpost::station {
namespace {

using sync::sqlite::Statement;

// Each step takes the schema from version i to i+1. Never edit a released step: add one.
const char* const kMigrations[] = {
    // 1: movements, their check results and the audit trail.
    "CREATE TABLE movements("
    "  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, seq INTEGER NOT NULL UNIQUE,"
    "  recorded_at TEXT NOT NULL, local_date TEXT NOT NULL, local_time TEXT NOT NULL, utc_offset INTEGER NOT NULL,"
    "  direction TEXT NOT NULL CHECK (direction IN ('entry','exit')),"
    "  decision TEXT NOT NULL CHECK (decision IN ('admit','refuse','refer')),"
    "  refusal_reason TEXT NOT NULL, note TEXT NOT NULL, companion TEXT NOT NULL, inspector TEXT NOT NULL,"
    "  mrz_source TEXT NOT NULL, mrz_lines TEXT NOT NULL,"
    "  doc_format TEXT NOT NULL, doc_code TEXT NOT NULL, issuer TEXT NOT NULL, doc_number TEXT NOT NULL, expiry TEXT NOT NULL,"
    "  surname TEXT NOT NULL, given_names TEXT NOT NULL, nationality TEXT NOT NULL, birth_date TEXT NOT NULL, sex TEXT NOT NULL,"
    "  verdict TEXT NOT NULL, alerts INTEGER NOT NULL, corrects TEXT, record TEXT NOT NULL);"
    "CREATE INDEX movements_by_day ON movements(local_date, id);"
    "CREATE INDEX movements_by_document ON movements(doc_number, issuer, id);"
    "CREATE TABLE movement_checks("
    "  movement_id INTEGER NOT NULL REFERENCES movements(id), position INTEGER NOT NULL,"
    "  check_id TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, measurement TEXT NOT NULL, alert INTEGER NOT NULL,"
    "  PRIMARY KEY (movement_id, position)) WITHOUT ROWID;"
    "CREATE TABLE audit("
    "  id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
    "  subject TEXT NOT NULL, detail TEXT NOT NULL);",
    // 2: the page images of each movement (files under the data directory), for later review.
    "CREATE TABLE movement_images("
    "  movement_id INTEGER NOT NULL REFERENCES movements(id), light TEXT NOT NULL, path TEXT NOT NULL,"
    "  PRIMARY KEY (movement_id, light)) WITHOUT ROWID;",
    // 3: personal accounts (station/accounts.hpp): Argon2id password hashes, lock-out state.
    "CREATE TABLE accounts("
    "  id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('inspector','supervisor','administrator')),"
    "  language TEXT NOT NULL, password TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
    "  failed_logins INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL) WITHOUT ROWID;",
    // 4: the audit trail is read by time (the supervisor's view) and by action and subject (day sign-offs).
    "CREATE INDEX audit_by_time ON audit(at);"
    "CREATE INDEX audit_by_action ON audit(action, subject);",
    // 5: each check's reason and measurement as phrases (station/phrase.hpp), so the pages say them
    // in the reader's language; '' for movements recorded before.
    "ALTER TABLE movement_checks ADD COLUMN reason_phrase TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE movement_checks ADD COLUMN measurement_phrase TEXT NOT NULL DEFAULT '';",
};
static_assert(std::size(kMigrations) == Store::kSchemaVersion);

int user_version(sqlite3* db) {
  Statement version(db, "PRAGMA user_version");
  version.step();
  return static_cast<int>(version.integer(0));
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out.append(out.empty() ? "" : "\n").append(l);
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A word the table holds back into its value; an unknown word (a damaged row) reads as the most
// cautious value: not run, or read optically (no claim that a person typed it).
MrzSource source_named(const std::string& name) { return mrz_source_named(name).value_or(MrzSource::Optical); }
CheckStatus status_named(const std::string& name) { return check_status_named(name).value_or(CheckStatus::NotRun); }

// A phrase as its table keeps it: JSON, '' for none.
std::string phrase_text(const Phrase& phrase) { return phrase.empty() ? std::string() : to_json(phrase).dump(); }
Phrase stored_phrase(const std::string& text) {
  return text.empty() ? Phrase{} : phrase_from_json(nlohmann::json::parse(text, nullptr, false));
}

constexpr const char* kMovementColumns =
    "id, seq, uuid, recorded_at, local_date, local_time, direction, decision, refusal_reason, note, companion, inspector,"
    " mrz_source, mrz_lines, doc_format, doc_code, issuer, doc_number, expiry, surname, given_names, nationality,"
    " birth_date, sex, verdict, alerts, corrects";

StoredMovement movement_from_row(const Statement& row) {
  StoredMovement m;
  int c = 0;
  m.id = row.integer(c++);
  m.seq = static_cast<std::uint64_t>(row.integer(c++));
  m.uuid = row.text(c++);
  m.recorded_at = row.text(c++);
  m.local_date = row.text(c++);
  m.local_time = row.text(c++);
  auto& d = m.draft;
  d.local_date = m.local_date;
  d.local_time = m.local_time;
  d.movement.direction = row.text(c++);
  d.movement.decision = row.text(c++);
  d.refusal_reason = row.text(c++);
  d.note = row.text(c++);
  d.companion = row.text(c++);
  d.movement.inspector = row.text(c++);
  d.source = source_named(row.text(c++));
  d.mrz_lines = split_lines(row.text(c++));
  d.movement.document.format = row.text(c++);
  d.movement.document.code = row.text(c++);
  d.movement.document.issuer = row.text(c++);
  d.movement.document.number = row.text(c++);
  d.movement.document.expiry = row.text(c++);
  d.movement.traveller.surname = row.text(c++);
  d.movement.traveller.given_names = row.text(c++);
  d.movement.traveller.nationality = row.text(c++);
  d.movement.traveller.birth_date = row.text(c++);
  d.movement.traveller.sex = row.text(c++);
  d.movement.checks.verdict = row.text(c++);
  m.alerts = static_cast<int>(row.integer(c++));
  if (!row.is_null(c)) d.movement.corrects = row.text(c);
  return m;
}

// A movement's check results and image paths; the statements are prepared once per query.
class DetailsReader {
 public:
  explicit DetailsReader(sqlite3* db)
      : checks_(db,
                "SELECT check_id, status, reason, measurement, alert, reason_phrase, measurement_phrase FROM movement_checks"
                " WHERE movement_id = ? ORDER BY position"),
        images_(db, "SELECT light, path FROM movement_images WHERE movement_id = ? ORDER BY light") {}

  void load(StoredMovement& m) {
    checks_.reset();
    checks_.bind(1, m.id);
    while (checks_.step()) {
      m.draft.checks.push_back({checks_.text(0), status_named(checks_.text(1)), checks_.text(2), checks_.text(3),
                                checks_.integer(4) != 0, stored_phrase(checks_.text(5)), stored_phrase(checks_.text(6))});
    }
    images_.reset();
    images_.bind(1, m.id);
    while (images_.step()) m.draft.images.push_back({images_.text(0), images_.text(1)});
    m.draft.movement.checks = check_summary(m.draft.checks, m.draft.movement.checks.verdict);
  }

 private:
  Statement checks_, images_;
};

}  // namespace

sync::Movement movement_fields(const mrz::Document& doc) {
  sync::Movement m;
  m.document.format = std::string(mrz::to_string(doc.format));
  m.document.code = doc.document_code.value;
  m.document.issuer = doc.issuing_state.value;
  m.document.number = doc.document_number.value;
  m.document.expiry = doc.expiry_date.complete() ? doc.expiry_date.iso() : "";
  m.traveller.surname = doc.surname.value;
  m.traveller.given_names = doc.given_names.value;
  m.traveller.nationality = doc.nationality.value;
  m.traveller.birth_date = doc.birth_date.complete() ? doc.birth_date.iso() : "";
  m.traveller.sex = doc.sex.value.empty() ? "X" : doc.sex.value;
  return m;
}

sync::Movement::Checks check_summary(const std::vector<CheckResult>& checks, std::string verdict) {
  sync::Movement::Checks summary;
  summary.verdict = std::move(verdict);
  for (const auto& check : checks) {
    if (check.status == CheckStatus::Pass) ++summary.passed;
    else if (check.status == CheckStatus::Warn) ++summary.warnings;
    else if (check.status == CheckStatus::Fail) ++summary.failed;
    else ++summary.not_run;
  }
  return summary;
}

void migrate(sqlite3* db, int target) {
  const int from = user_version(db);
  if (from > Store::kSchemaVersion)
    throw std::runtime_error("the station database has schema version " + std::to_string(from) +
                             ", newer than this program's " + std::to_string(Store::kSchemaVersion) + ": upgrade borderpost");
  for (int v = from; v < target; ++v) {
    sync::sqlite::Transaction txn(db);
    sync::sqlite::exec(db, kMigrations[v]);
    sync::sqlite::exec(db, ("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
    txn.commit();
  }
}

Store::Store(const std::string& path, int max_size_mb, sync::sqlite::Access access) : connection_(path, access) {
  if (!writable()) {
    if (const int version = user_version(db()); version != kSchemaVersion)
      throw std::runtime_error("the station database has schema version " + std::to_string(version) + ", this program needs " +
                               std::to_string(kSchemaVersion) + ", and it cannot be upgraded on a read-only disk");
    return;
  }
  migrate(db());
  if (max_size_mb > 0) {
    Statement page_size(db(), "PRAGMA page_size");
    page_size.step();
    const auto pages = static_cast<std::int64_t>(max_size_mb) * 1024 * 1024 / page_size.integer(0);
    sync::sqlite::exec(db(), ("PRAGMA max_page_count = " + std::to_string(pages)).c_str());
  }
}

int Store::schema_version() const { return user_version(db()); }

StoredMovement Store::record(const MovementDraft& draft, sync::Outbox& outbox, const sync::Timestamp& at, const std::string& actor) {
  sync::sqlite::Transaction txn(db());
  const sync::Record r = outbox.append(draft.movement, at);
  const auto& mv = draft.movement;
  const int alerts = alert_count(draft.checks);
  Statement insert(db(),
                   "INSERT INTO movements(uuid, seq, recorded_at, local_date, local_time, utc_offset, direction, decision,"
                   " refusal_reason, note, companion, inspector, mrz_source, mrz_lines, doc_format, doc_code, issuer,"
                   " doc_number, expiry, surname, given_names, nationality, birth_date, sex, verdict, alerts, corrects, record)"
                   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  int i = 0;
  auto bind = [&](const auto& value) { insert.bind(++i, value); };
  bind(r.uuid);
  bind(static_cast<std::int64_t>(r.seq));
  for (const std::string* text : {&r.recorded_at, &draft.local_date, &draft.local_time}) bind(*text);
  bind(std::int64_t{r.utc_offset_minutes});
  for (const std::string* text : {&mv.direction, &mv.decision, &draft.refusal_reason, &draft.note, &draft.companion, &mv.inspector})
    bind(*text);
  bind(std::string(to_string(draft.source)));
  bind(join_lines(draft.mrz_lines));
  for (const std::string* text : {&mv.document.format, &mv.document.code, &mv.document.issuer, &mv.document.number,
                                  &mv.document.expiry, &mv.traveller.surname, &mv.traveller.given_names,
                                  &mv.traveller.nationality, &mv.traveller.birth_date, &mv.traveller.sex, &mv.checks.verdict})
    bind(*text);
  bind(std::int64_t{alerts});
  if (mv.corrects) bind(*mv.corrects);
  else insert.bind_null(++i);
  bind(sync::to_json(r).dump());
  insert.run();
  const std::int64_t id = sqlite3_last_insert_rowid(db());

  Statement check(db(),
                  "INSERT INTO movement_checks(movement_id, position, check_id, status, reason, measurement, alert,"
                  " reason_phrase, measurement_phrase) VALUES (?,?,?,?,?,?,?,?,?)");
  for (std::size_t p = 0; p < draft.checks.size(); ++p) {
    const auto& c = draft.checks[p];
    check.bind(1, id).bind(2, static_cast<std::int64_t>(p)).bind(3, c.id).bind(4, to_string(c.status));
    check.bind(5, c.reason).bind(6, c.measurement).bind(7, std::int64_t{c.alert ? 1 : 0});
    check.bind(8, phrase_text(c.reason_phrase)).bind(9, phrase_text(c.measurement_phrase));
    check.run();
  }
  Statement image(db(), "INSERT INTO movement_images(movement_id, light, path) VALUES (?,?,?)");
  for (const auto& img : draft.images) image.bind(1, id).bind(2, img.light).bind(3, img.path).run();
  audit(actor, "movement.recorded", r.uuid, mv.direction + " " + mv.decision + " seq " + std::to_string(r.seq));
  txn.commit();
  if (movement_count_) ++*movement_count_;

  StoredMovement stored;
  stored.id = id;
  stored.seq = r.seq;
  stored.uuid = r.uuid;
  stored.recorded_at = r.recorded_at;
  stored.local_date = draft.local_date;
  stored.local_time = draft.local_time;
  stored.alerts = alerts;
  stored.draft = draft;
  return stored;
}

std::optional<PreviousMovement> Store::previous_movement(const std::string& number, const std::string& issuer) const {
  Statement q(db(), "SELECT direction, local_date FROM movements WHERE doc_number = ? AND issuer = ? ORDER BY id DESC LIMIT 1");
  q.bind(1, number).bind(2, issuer);
  if (!q.step()) return std::nullopt;
  const auto day = parse_iso_day(q.text(1));
  if (!day) throw std::runtime_error("the station database holds a movement with a malformed local date: " + q.text(1));
  const auto direction = direction_named(q.text(0));  // the table's CHECK allows entry and exit only
  if (!direction) throw std::runtime_error("the station database holds a movement with a malformed direction: " + q.text(0));
  return PreviousMovement{*direction, *day};
}

std::string MovementCursor::text() const { return local_date + "." + std::to_string(id); }

std::optional<MovementCursor> MovementCursor::parse(const std::string& text) {
  const auto dot = text.find('.');
  if (dot == std::string::npos || !parse_iso_day(text.substr(0, dot))) return std::nullopt;
  const auto digits = text.substr(dot + 1);
  if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return MovementCursor{text.substr(0, dot), std::stoll(digits)};
}

namespace {

// The filter as a WHERE clause and the values to bind, in order.
struct FilterSql {
  std::string where = " WHERE 1";
  std::vector<std::string> values;

  explicit FilterSql(const MovementFilter& f) {
    auto add = [&](const std::string& value, const char* clause) {
      if (value.empty()) return;
      where.append(clause);
      values.push_back(value);
    };
    add(f.from, " AND local_date >= ?");
    add(f.to, " AND local_date <= ?");
    add(f.direction, " AND direction = ?");
    add(f.decision, " AND decision = ?");
    add(f.inspector, " AND inspector = ?");
    add(f.nationality, " AND nationality = ?");
    if (f.alerts_only) where.append(" AND alerts > 0");
  }
  int bind(Statement& q) const {
    int i = 1;
    for (const auto& v : values) q.bind(i++, v);
    return i;
  }
};

}  // namespace

std::vector<StoredMovement> Store::movements(const MovementFilter& f) const {
  const FilterSql filter(f);
  std::string sql = std::string("SELECT ").append(kMovementColumns).append(" FROM movements").append(filter.where);
  if (f.after) sql.append(" AND (local_date, id) > (?, ?)");
  sql.append(" ORDER BY local_date, id LIMIT ?");
  Statement q(db(), sql.c_str());
  int i = filter.bind(q);
  if (f.after) {
    q.bind(i++, f.after->local_date);
    q.bind(i++, f.after->id);
  }
  q.bind(i, static_cast<std::int64_t>(f.limit));
  std::vector<StoredMovement> out;
  while (q.step()) out.push_back(movement_from_row(q));
  if (f.details) {
    DetailsReader details(db());
    for (auto& m : out) details.load(m);
  }
  return out;
}

std::uint64_t Store::count_movements(const MovementFilter& f) const {
  const FilterSql filter(f);
  Statement q(db(), std::string("SELECT count(*) FROM movements").append(filter.where).c_str());
  filter.bind(q);
  q.step();
  return static_cast<std::uint64_t>(q.integer(0));
}

void Store::each_movement(MovementFilter filter, const std::function<void(const StoredMovement&)>& visit) const {
  if (filter.limit == 0) filter.limit = 1000;
  for (;;) {
    const auto page = movements(filter);
    for (const auto& m : page) visit(m);
    if (page.size() < filter.limit) return;
    filter.after = MovementCursor{page.back().local_date, page.back().id};
  }
}

std::optional<StoredMovement> Store::movement(const std::string& uuid) const {
  Statement q(db(), std::string("SELECT ").append(kMovementColumns).append(" FROM movements WHERE uuid = ?").c_str());
  q.bind(1, uuid);
  if (!q.step()) return std::nullopt;
  auto m = movement_from_row(q);
  DetailsReader(db()).load(m);
  return m;
}

std::uint64_t Store::movement_count() const {
  if (!movement_count_) {
    // Every movement takes the next sequence number of the record chain, from 1 and without gaps
    // (`db check` verifies it), so the highest is the count: an index lookup, not a scan of
    // millions of rows at start.
    Statement q(db(), "SELECT coalesce(max(seq), 0) FROM movements");
    q.step();
    movement_count_ = static_cast<std::uint64_t>(q.integer(0));
  }
  return *movement_count_;
}

void Store::audit(const std::string& actor, const std::string& action, const std::string& subject, const std::string& detail) {
  Statement q(db(), "INSERT INTO audit(at, actor, action, subject, detail) VALUES (?,?,?,?,?)");
  q.bind(1, sync::now().utc).bind(2, actor).bind(3, action).bind(4, subject).bind(5, detail).run();
}

std::vector<AuditEntry> Store::audit_trail(std::size_t limit) const {
  AuditFilter newest;
  newest.limit = limit;
  return audit_trail(newest);
}

std::vector<AuditEntry> Store::audit_trail(const AuditFilter& f) const {
  std::string sql = "SELECT id, at, actor, action, subject, detail FROM audit WHERE 1";
  if (!f.from_utc.empty()) sql += " AND at >= ?1";
  if (!f.to_utc.empty()) sql += " AND at < ?2";
  if (!f.actor.empty()) sql += " AND actor = ?3";
  if (!f.action_prefix.empty()) sql += " AND substr(action, 1, length(?4)) = ?4";
  if (f.before_id > 0) sql += " AND id < ?5";
  sql += " ORDER BY id DESC LIMIT ?6";
  Statement q(db(), sql.c_str());
  if (!f.from_utc.empty()) q.bind(1, f.from_utc);
  if (!f.to_utc.empty()) q.bind(2, f.to_utc);
  if (!f.actor.empty()) q.bind(3, f.actor);
  if (!f.action_prefix.empty()) q.bind(4, f.action_prefix);
  if (f.before_id > 0) q.bind(5, f.before_id);
  q.bind(6, static_cast<std::int64_t>(f.limit));
  std::vector<AuditEntry> out;
  while (q.step()) out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)});
  return out;
}

StoreHealth Store::check(EVP_PKEY* signing_key) const {
  StoreHealth h;
  {
    Statement q(db(), "PRAGMA integrity_check");
    while (q.step()) h.integrity.append(h.integrity.empty() ? "" : "; ").append(q.text(0));
  }
  Statement q(db(), "SELECT seq, uuid, record FROM movements ORDER BY seq");
  std::string prev = sync::kGenesisHash;
  std::uint64_t expected_seq = 1;
  while (q.step()) {
    ++h.movements;
    const auto seq = static_cast<std::uint64_t>(q.integer(0));
    const std::string at = "record " + std::to_string(seq);
    if (seq != expected_seq) h.chain_problems.push_back(at + ": expected sequence " + std::to_string(expected_seq) + " (a gap)");
    expected_seq = seq + 1;
    std::string error;
    nlohmann::json json = nlohmann::json::parse(q.text(2), nullptr, false);
    auto record = json.is_discarded() ? std::nullopt : sync::record_from_json(json, error);
    if (!record) {
      h.chain_problems.push_back(at + ": unreadable (" + error + ")");
      continue;
    }
    if (record->seq != seq || record->uuid != q.text(1)) h.chain_problems.push_back(at + ": does not match its movement row");
    if (record->prev_hash != prev) h.chain_problems.push_back(at + ": does not follow the previous record (chain broken)");
    if (record->hash != sync::expected_hash(*record)) h.chain_problems.push_back(at + ": altered (hash mismatch)");
    if (signing_key && !sync::verify_signature(signing_key, sync::canonical_body(*record), record->signature))
      h.chain_problems.push_back(at + ": signature does not verify");
    prev = record->hash;
  }
  Statement has_outbox(db(), "SELECT count(*) FROM sqlite_master WHERE name = 'sync_outbox'");
  if (has_outbox.step() && has_outbox.integer(0) == 0) return h;  // no movement was ever sealed here
  Statement pending(db(), "SELECT count(*) FROM sync_outbox WHERE seq NOT IN (SELECT seq FROM movements)");
  if (pending.step() && pending.integer(0) > 0)
    h.chain_problems.push_back(std::to_string(pending.integer(0)) + " outbox record(s) without their movement");
  Statement queued(db(), "SELECT count(*) FROM sync_outbox");
  if (queued.step()) h.outbox_pending = static_cast<std::uint64_t>(queued.integer(0));
  return h;
}

}  // namespace borderpost::station
