// Where the central office keeps the records: one interface, an SQLite backend (the embedded
// default) and a PostgreSQL one (production). The receiver verifies; the store only stores.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sync/record.hpp"
#include "sync/report.hpp"
#include "sync/watchlist.hpp"

namespace borderpost::sync {

struct ChainHead {
  std::uint64_t seq = 0;
  std::string hash = kGenesisHash;
};

struct StationStatus {
  std::string station;
  std::uint64_t last_seq = 0;
  std::string last_contact;  // UTC
  std::string newest_record; // recorded_at of the newest stored record
  std::uint64_t reported_head = 0;  // the post's newest record, as it said at its last contact
  // Records the post holds that the central office does not have yet, as of the last contact.
  std::uint64_t backlog() const { return reported_head > last_seq ? reported_head - last_seq : 0; }
};

struct Signer {
  std::string fingerprint;  // SHA-256 of the certificate
  std::string pem;          // kept so anyone can re-verify the records later
};

struct StoredRecord {
  Record record;
  std::string signer;  // fingerprint
};

struct TamperAlert {
  std::string station;
  std::string raised_at;
  std::string detail;
};

// append() found the station's chain head elsewhere than the batch continues from: another
// server of the same directorate stored records of this station meanwhile. Nothing was stored.
struct ChainMoved : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class CentralStore {
 public:
  virtual ~CentralStore() = default;
  virtual ChainHead head(const std::string& station) = 0;
  // The stored hash of one record, if it is stored.
  virtual std::optional<std::string> hash_at(const std::string& station, std::uint64_t seq) = 0;
  // Stores verified records that continue the station's chain, all or none, durably before it
  // returns; throws ChainMoved if the stored head is no longer the one they continue. `record_json[i]` is records[i] in its JSON form (to_json), already serialised.
  virtual void append(const std::string& station, const std::vector<Record>& records, const std::vector<std::string>& record_json,
                      const Signer& signer, const std::string& received_at) = 0;
  // A post made contact; `reported_head`, when the post said it, is its newest record's number.
  virtual void note_contact(const std::string& station, const std::string& at, std::optional<std::uint64_t> reported_head) = 0;
  virtual void raise_alert(const TamperAlert& alert) = 0;
  virtual std::vector<StationStatus> stations() = 0;
  virtual std::vector<TamperAlert> alerts() = 0;
  virtual std::uint64_t record_count() = 0;
  virtual std::vector<StoredRecord> records(const std::string& station, std::uint64_t from_seq, std::size_t limit) = 0;
  virtual std::optional<std::string> signer_pem(const std::string& fingerprint) = 0;
  // Crossings in the query's local days, a corrected record counted once, as its correction.
  virtual std::vector<ReportRow> crossings(const ReportQuery& query) = 0;

  // The watch-list. Each change gets the next version, in commit order, so a post that holds
  // version V misses nothing by asking for the changes after V. Adding needs a valid entry with a
  // fresh id; removing needs the id of a listed entry (std::invalid_argument otherwise).
  virtual std::uint64_t watchlist_change(const std::string& action, const WatchlistEntry& entry, const std::string& at) = 0;
  virtual WatchlistPage watchlist_after(std::uint64_t since, std::size_t limit) = 0;
  virtual std::vector<WatchlistEntry> watchlist_entries() = 0;  // as listed now
};

std::unique_ptr<CentralStore> open_sqlite_store(const std::string& path);
// `connection` is a libpq connection string or URI; the store keeps up to `connections` open
// connections for concurrent batches, and creates its tables (records partitioned by month).
std::unique_ptr<CentralStore> open_postgresql_store(const std::string& connection, unsigned connections = 8);
// The backend config/central.toml names: "sqlite" or "postgresql" (with `connections` pooled).
std::unique_ptr<CentralStore> open_store(const std::string& backend, const std::string& sqlite_path,
                                         const std::string& postgresql, unsigned connections = 8);

// Re-checks every stored chain: sequence without gaps from 1, each record's hash, its link to the
// previous one, and its signature against the stored signing certificate. One line per problem.
struct ChainAudit {
  std::uint64_t stations = 0;
  std::uint64_t records = 0;
  std::vector<std::string> problems;
};
ChainAudit audit_chains(CentralStore& store);

}  // namespace borderpost::sync
