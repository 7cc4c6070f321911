#include "sync/protocol.hpp"

#include <zlib.h>

namespace borderpost::sync {

using nlohmann::json;

std::string gzip(std::string_view data) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: cannot start compression");
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib: compression failed");
  return out;
}

bool gunzip(std::string_view data, std::size_t limit, std::string& out, std::string& error) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) {
    error = "zlib: cannot start decompression";
    return false;
  }
  out.clear();
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  char chunk[65536];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(chunk, sizeof chunk - z.avail_out);
    if (out.size() > limit) {
      inflateEnd(&z);
      out.clear();
      error = "the batch expands beyond " + std::to_string(limit >> 20) + " MiB";
      return false;
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) rc = Z_BUF_ERROR;  // input ended early
  }
  const bool trailing = z.avail_in != 0;
  inflateEnd(&z);
  if (rc != Z_STREAM_END) {
    error = "the batch is not valid gzip data";
    return false;
  }
  if (trailing) {
    error = "the batch has data after its gzip stream";
    return false;
  }
  return true;
}

std::string encode_batch(const Batch& batch) {
  json records = json::array();
  for (const auto& r : batch.records) records.push_back(to_json(r));
  const json body = {{"v", kProtocolVersion}, {"station", batch.station}, {"signer", batch.signer_pem}, {"records", records}};
  return gzip(body.dump());
}

std::string encode_batch_json(const std::string& station, const std::string& signer_pem,
                              const std::vector<std::string_view>& record_json) {
  std::string body = "{\"records\":[";
  for (std::size_t i = 0; i < record_json.size(); ++i) body.append(i ? "," : "").append(record_json[i]);
  body.append("],\"signer\":").append(json(signer_pem).dump());
  body.append(",\"station\":").append(json(station).dump());
  body.append(",\"v\":").append(std::to_string(kProtocolVersion)).append("}");
  return gzip(body);
}

std::optional<Batch> decode_batch(std::string_view body, bool gzipped, std::string& error) {
  std::string expanded;
  if (gzipped && !gunzip(body, kMaxBatchExpandedBytes, expanded, error)) return std::nullopt;
  const json j = json::parse(gzipped ? std::string_view(expanded) : body, nullptr, false);
  if (j.is_discarded()) return error = "the batch is not valid JSON", std::nullopt;
  if (!j.is_object() || !j.contains("v") || !j.contains("station") || !j.contains("signer") || !j.contains("records") ||
      j.size() != 4)
    return error = "the batch must hold exactly v, station, signer and records", std::nullopt;
  if (j["v"] != kProtocolVersion) return error = "unsupported protocol version", std::nullopt;
  if (!j["station"].is_string() || !j["signer"].is_string() || !j["records"].is_array())
    return error = "the batch has a field of the wrong type", std::nullopt;
  Batch batch{j["station"].get<std::string>(), j["signer"].get<std::string>(), {}};
  batch.records.reserve(j["records"].size());
  for (std::size_t i = 0; i < j["records"].size(); ++i) {
    std::string why;
    auto record = record_from_json(j["records"][i], why);
    if (!record) return error = "record " + std::to_string(i) + ": " + why, std::nullopt;
    batch.records.push_back(std::move(*record));
  }
  return batch;
}

std::string encode_ack(const Ack& ack) {
  return json{{"stored_through", ack.stored_through}, {"head_hash", ack.head_hash}, {"accepted", ack.accepted},
              {"duplicates", ack.duplicates}, {"error", ack.error}}
      .dump();
}

std::optional<Ack> decode_ack(std::string_view body, std::string& error) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return error = "the answer is not a JSON object", std::nullopt;
  for (const char* count : {"stored_through", "accepted", "duplicates"})
    if (j.contains(count) && !j[count].is_number_unsigned())  // a float or a negative would not convert safely
      return error = std::string("the answer's ") + count + " is not a whole number", std::nullopt;
  try {
    return Ack{j.at("stored_through").get<std::uint64_t>(), j.at("head_hash").get<std::string>(),
               j.at("accepted").get<std::uint64_t>(), j.at("duplicates").get<std::uint64_t>(), j.at("error").get<std::string>()};
  } catch (const json::exception& e) {
    error = std::string("the answer lacks a field: ") + e.what();
    return std::nullopt;
  }
}

}  // namespace borderpost::sync
