// The station's sync client: drains the outbox to the central office over HTTPS with the station's
// client certificate, batch by batch, deleting records only once they are acknowledged. A
// background loop retries with exponential back-off and jitter; it sleeps, it never spins.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <stop_token>
#include <string>

#include "sync/outbox.hpp"
#include "sync/station_watchlist.hpp"

namespace borderpost::sync {

struct UploaderConfig {
  std::string host = "127.0.0.1";
  std::string port = "8443";
  std::string server_name;   // the name the server certificate must carry; default: host
  std::string ca_cert;       // the directorate CA
  std::string cert;          // station.crt (TLS client)
  std::string key;           // station.key
  std::string signing_cert;  // signing.crt, sent with each batch
  std::size_t batch_size = 500;
  std::chrono::milliseconds timeout{30'000};  // per network operation
};

struct UploadReport {
  std::uint64_t batches = 0;
  std::uint64_t accepted = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t stored_through = 0;
  std::uint64_t pending = 0;  // left in the outbox
  std::uint64_t watchlist_changes = 0;  // applied after the upload
  std::uint64_t watchlist_version = 0;  // the post's watch-list version afterwards
  std::string error;          // "" when the outbox was drained and the watch-list brought up to date
};

class Uploader {
 public:
  // With a watch-list, each upload that drains the outbox then pulls the watch-list changes.
  Uploader(UploaderConfig config, Outbox& outbox, StationWatchlist* watchlist = nullptr);
  // Sends every pending record (one connection, as many batches as it takes). Never throws for
  // network or server trouble: the report says what happened and the records stay queued.
  UploadReport upload();

 private:
  UploaderConfig config_;
  Outbox& outbox_;
  StationWatchlist* watchlist_;
  std::string signer_pem_;
};

// Waits between failed attempts: full jitter over an exponentially growing ceiling.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds first, std::chrono::milliseconds ceiling, std::uint32_t seed = std::random_device{}());
  std::chrono::milliseconds next();  // after a failure
  void reset() { failures_ = 0; }    // after a success

 private:
  std::chrono::milliseconds first_, ceiling_;
  int failures_ = 0;
  std::mt19937 rng_;
};

// Runs uploads until stopped: right away when woken (a new movement), every `interval` otherwise,
// and after failures on the back-off schedule.
class SyncLoop {
 public:
  SyncLoop(Uploader& uploader, Backoff backoff, std::chrono::milliseconds interval);
  void run(std::stop_token stop);
  void wake();
  UploadReport last_report();

 private:
  Uploader& uploader_;
  Backoff backoff_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable_any wakeup_;
  bool woken_ = false;
  UploadReport last_;
};

}  // namespace borderpost::sync
