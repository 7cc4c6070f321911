// The sync wire format: batches (gzip or plain JSON) and the central office's answers, read
// strictly; a malformed or oversized message is refused with a reason, never half-read.
#include <doctest/doctest.h>

#include "sample.hpp"
#include "sync/crypto.hpp"
#include "sync/protocol.hpp"

using namespace borderpost::sync;

namespace {

Batch sample_batch(std::size_t records) {
  const auto key = SigningKey::generate();
  Batch batch{"PE-TUMBES-01", "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n", {}};
  std::string prev = kGenesisHash;
  for (std::size_t i = 1; i <= records; ++i) {
    batch.records.push_back(borderpost::sync::testing::sealed_record(key, i, prev, batch.station));
    prev = batch.records.back().hash;
  }
  return batch;
}

}  // namespace

TEST_CASE("a batch survives its gzip form, records byte for byte") {
  const auto batch = sample_batch(3);
  std::string error;
  const auto decoded = decode_batch(encode_batch(batch), true, error);
  REQUIRE_MESSAGE(decoded, error);
  CHECK(decoded->station == batch.station);
  CHECK(decoded->signer_pem == batch.signer_pem);
  REQUIRE(decoded->records.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(canonical_body(decoded->records[i]) == canonical_body(batch.records[i]));
    CHECK(decoded->records[i].signature == batch.records[i].signature);
  }
}

TEST_CASE("malformed batches are refused with the reason") {
  std::string error;
  CHECK_FALSE(decode_batch("not json", false, error));
  CHECK(error == "the batch is not valid JSON");
  CHECK_FALSE(decode_batch(R"({"v":2,"station":"S","signer":"","records":[]})", false, error));
  CHECK(error == "unsupported protocol version");
  CHECK_FALSE(decode_batch(R"({"v":1,"station":"S","signer":"","records":[],"extra":1})", false, error));
  CHECK(error.find("exactly v, station, signer and records") != std::string::npos);
  CHECK_FALSE(decode_batch(R"({"v":1,"station":"S","signer":"","records":[{"seq":1}]})", false, error));
  CHECK(error.rfind("record 0: ", 0) == 0);
  CHECK_FALSE(decode_batch("\x1f\x8b not really gzip", true, error));
  CHECK_FALSE(error.empty());
}

TEST_CASE("gunzip stops at its output limit: a small compressed bomb cannot take the memory") {
  const std::string bomb = gzip(std::string(10 << 20, 'x'));  // 10 MB of output from a few kB
  CHECK(bomb.size() < 64 * 1024);
  std::string out, error;
  CHECK_FALSE(gunzip(bomb, 1 << 20, out, error));
  CHECK_FALSE(error.empty());
  CHECK(out.empty());  // nothing half-read is left behind
  CHECK(gunzip(bomb, 16 << 20, out, error));
  CHECK(out.size() == (10U << 20));
}

TEST_CASE("the central office's answer is read strictly: counts are whole numbers") {
  std::string error;
  const Ack ack{42, std::string(64, 'a'), 2, 1, ""};
  const auto decoded = decode_ack(encode_ack(ack), error);
  REQUIRE(decoded);
  CHECK(decoded->stored_through == 42);
  CHECK(decoded->duplicates == 1);
  // Found by the fuzz target: a number out of range of the count was converted, undefined behaviour.
  CHECK_FALSE(decode_ack(R"({"stored_through":1e129,"head_hash":"","accepted":0,"duplicates":0,"error":""})", error));
  CHECK(error.find("stored_through is not a whole number") != std::string::npos);
  CHECK_FALSE(decode_ack(R"({"stored_through":-1,"head_hash":"","accepted":0,"duplicates":0,"error":""})", error));
  CHECK_FALSE(decode_ack(R"({"stored_through":1,"head_hash":"","accepted":0.5,"duplicates":0,"error":""})", error));
  CHECK_FALSE(decode_ack(R"({"stored_through":1})", error));
  CHECK(error.find("lacks a field") != std::string::npos);
}
