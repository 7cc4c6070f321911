// Movement records: canonical encoding, hash, signature, strict reading (docs/sync-protocol.md, format 1).
#include <doctest/doctest.h>

#include "sample.hpp"
#include "sync/crypto.hpp"
#include "sync/record.hpp"

using namespace borderpost::sync;
using borderpost::sync::testing::sample_movement;

namespace {

Record sealed(const SigningKey& key, std::uint64_t seq = 1, const std::string& prev = kGenesisHash) {
  return borderpost::sync::testing::sealed_record(key, seq, prev);
}

}  // namespace

TEST_CASE("the canonical body is compact JSON with sorted keys and without hash or signature") {
  const auto key = SigningKey::generate();
  const auto r = sealed(key);
  const auto body = canonical_body(r);
  CHECK(body.rfind(R"({"movement":{"checks":{"failed":0,"not_run":1,"passed":5,"verdict":"pass","warnings":0},"corrects":null,)", 0) == 0);
  CHECK(body.find("\"hash\"") == std::string::npos);
  CHECK(body.find("\"signature\"") == std::string::npos);
  CHECK(body.find(' ') == body.find("ANNA MARIA") + 4);  // the only space is inside a value
  CHECK(r.hash == sha256_hex(body));
}

TEST_CASE("a record survives its JSON form unchanged, hash and signature included") {
  const auto key = SigningKey::generate();
  auto r = sealed(key, 7, std::string(64, 'a'));
  r.movement.corrects = random_uuid();
  r.hash = expected_hash(r);
  std::string error;
  const auto back = record_from_json(nlohmann::json::parse(to_json(r).dump()), error);
  REQUIRE_MESSAGE(back.has_value(), error);
  CHECK(canonical_body(*back) == canonical_body(r));
  CHECK(back->hash == r.hash);
  CHECK(back->signature == r.signature);
  CHECK(shape_problem(*back).empty());
}

TEST_CASE("the signature verifies with the station key and fails after any change") {
  const auto key = SigningKey::generate();
  const auto other = SigningKey::generate();
  auto r = sealed(key);
  CHECK(verify_signature(key.get(), canonical_body(r), r.signature));
  CHECK_FALSE(verify_signature(other.get(), canonical_body(r), r.signature));
  r.movement.traveller.surname = "ERIKSSEN";
  CHECK_FALSE(verify_signature(key.get(), canonical_body(r), r.signature));
  CHECK(expected_hash(r) != r.hash);
  CHECK_FALSE(verify_signature(key.get(), "x", "not base64!"));
}

TEST_CASE("reading refuses missing keys, wrong types and keys the format does not define") {
  const auto key = SigningKey::generate();
  const auto good = to_json(sealed(key));
  std::string error;
  auto missing = good;
  missing["movement"]["traveller"].erase("sex");
  CHECK_FALSE(record_from_json(missing, error).has_value());
  CHECK(error == "traveller lacks sex");
  auto wrong = good;
  wrong["seq"] = "1";
  CHECK_FALSE(record_from_json(wrong, error).has_value());
  CHECK(error == "record seq is not an integer");
  auto negative = good;
  negative["seq"] = -4;
  CHECK_FALSE(record_from_json(negative, error).has_value());
  auto extra = good;
  extra["movement"]["note"] = "unsigned";
  CHECK_FALSE(record_from_json(extra, error).has_value());
  CHECK(error == "movement has an unknown key \"note\"");
  CHECK_FALSE(record_from_json(nlohmann::json::array(), error).has_value());
  CHECK(error == "record is not an object");
}

TEST_CASE("shape rules name the field that is wrong") {
  const auto key = SigningKey::generate();
  auto r = sealed(key);
  CHECK(shape_problem(r).empty());
  auto bad = r;
  bad.station = "pe tumbes";
  CHECK(shape_problem(bad).find("station id") == 0);
  bad = r;
  bad.movement.direction = "transit";
  CHECK(shape_problem(bad) == "direction must be entry or exit");
  bad = r;
  bad.recorded_at = "2026-11-23 14:05:09";
  CHECK(shape_problem(bad).find("recorded_at") == 0);
  bad = r;
  bad.movement.traveller.birth_date = "1974-13-12";
  CHECK(shape_problem(bad) == "birth date is not YYYY-MM-DD");
  bad = r;
  bad.movement.traveller.birth_date = "";  // an MRZ may give no birth date
  CHECK(shape_problem(bad).empty());
  bad = r;
  bad.uuid = "not-a-uuid";
  CHECK(shape_problem(bad).find("uuid") == 0);
}

TEST_CASE("random UUIDs are version 4 and distinct") {
  const auto a = random_uuid(), b = random_uuid();
  CHECK(a != b);
  CHECK(a.size() == 36);
  CHECK(a[14] == '4');
  CHECK(std::string("89ab").find(a[19]) != std::string::npos);
}

TEST_CASE("base64 round-trips and refuses non-canonical text") {
  std::string out;
  for (const std::string& in : std::vector<std::string>{"", "f", "fo", "foo", "foob", std::string("\0\xff\x10", 3)}) {
    REQUIRE(base64_decode(base64_encode(in), out));
    CHECK(out == in);
  }
  CHECK_FALSE(base64_decode("Zm9=", out));  // padding bits set
  CHECK_FALSE(base64_decode("Zm9", out));
}
