// The sync wire format (version 1, see docs/sync-protocol.md): a batch of one station's records as
// gzip-compressed JSON, answered by the highest contiguous sequence number the central office
// holds durably.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/record.hpp"

namespace borderpost::sync {

inline constexpr int kProtocolVersion = 1;
inline constexpr std::size_t kMaxBatchBytes = 8 << 20;         // compressed, on the wire
inline constexpr std::size_t kMaxBatchExpandedBytes = 64 << 20;  // after decompression
inline constexpr const char* kRecordsPath = "/v1/records";
inline constexpr const char* kHeadPath = "/v1/head";
// Request header of a batch: the post's newest record number, so the central office knows each
// post's backlog (optional; a number).
inline constexpr const char* kOutboxHeadHeader = "Borderpost-Outbox-Head";

struct Batch {
  std::string station;
  std::string signer_pem;  // the station's record-signing certificate
  std::vector<Record> records;
};

std::string gzip(std::string_view data);
// Decompresses at most `limit` bytes of output; false with a reason otherwise.
bool gunzip(std::string_view data, std::size_t limit, std::string& out, std::string& error);

std::string encode_batch(const Batch& batch);  // gzip of the JSON form
// The same from records already in JSON form (the outbox keeps them so).
std::string encode_batch_json(const std::string& station, const std::string& signer_pem,
                              const std::vector<std::string_view>& record_json);
// From the body of a request (gzip or plain JSON); nullopt with a reason for anything malformed.
std::optional<Batch> decode_batch(std::string_view body, bool gzipped, std::string& error);

// The central office's answer to a batch or a head query.
struct Ack {
  std::uint64_t stored_through = 0;  // every record 1..stored_through is durably stored
  std::string head_hash;             // hash of record stored_through (chain check for the client)
  std::uint64_t accepted = 0;        // new records stored by this batch
  std::uint64_t duplicates = 0;      // records that were already stored, acknowledged again
  std::string error;                 // why (part of) the batch was refused, or ""
};
std::string encode_ack(const Ack& ack);
std::optional<Ack> decode_ack(std::string_view body, std::string& error);

}  // namespace borderpost::sync
