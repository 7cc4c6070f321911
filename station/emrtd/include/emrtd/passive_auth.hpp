// Passive authentication (ICAO Doc 9303 Part 11, 5.1; Part 12 for the PKI): EF.SOD's CMS
// signature by the Document Signer, the DS certificate chained to a CSCA the station trusts, and
// each data group's hash against the SOD. Pure functions over bytes and a trust store, with
// OpenSSL 3 doing the cryptography.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "emrtd/bytes.hpp"

namespace borderpost::station::emrtd {

class TrustStore;

// The Document Security Object inside EF.SOD, read without believing anything yet.
struct SecurityObject {
  std::string hash_algorithm;         // "SHA-256", ...
  std::map<int, Bytes> hashes;        // data group number -> hash
  Bytes ds_certificate;               // DER, as embedded in the SignedData
};
// Throws FormatError for an EF.SOD that is not a SignedData holding an LDSSecurityObject.
SecurityObject parse_security_object(ByteView ef_sod);

// What passive authentication found, one verdict per part.
struct PassiveAuthentication {
  enum class Signature { valid, invalid } signature = Signature::invalid;
  std::string signature_detail;

  enum class Certificate {
    valid,            // chains to a trusted CSCA, every certificate within its validity
    unknown_csca,     // no CSCA in the trust store issued it
    csca_expired,     // the CSCA's validity is over (or not begun)
    ds_expired,       // the DS certificate's validity is over (or not begun)
    invalid,          // a broken signature in the chain, or another verification failure
  } certificate = Certificate::invalid;
  std::string certificate_detail;
  std::string ds_subject, csca_subject;
  std::string ds_country;  // C= of the DS certificate, upper case ("UT")
  std::string ds_not_after;  // "2031-05-01"

  struct GroupHash {
    int data_group = 0;
    enum class State { matches, differs, not_read } state = State::not_read;
  };
  std::vector<GroupHash> hashes;  // every data group the SOD lists

  bool hashes_match() const;  // every read group matches (and at least one was read)
};

// Verifies EF.SOD against the data groups read (number -> file bytes) at time `now`.
PassiveAuthentication passive_authentication(const SecurityObject& sod, ByteView ef_sod, const std::map<int, Bytes>& groups,
                                             const TrustStore& trust, std::chrono::system_clock::time_point now);

}  // namespace borderpost::station::emrtd
