// Two-key 3DES for BAC and its secure messaging: CBC with a zero IV (no padding added) and the
// ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC"). Single DES is built from 3DES with equal keys,
// since OpenSSL 3 keeps plain DES in its legacy provider.
#pragma once

#include "emrtd/bytes.hpp"

namespace borderpost::station::emrtd::des {

Bytes encrypt(ByteView key16, ByteView data);  // data: whole 8-byte blocks
Bytes decrypt(ByteView key16, ByteView data);
Bytes retail_mac(ByteView key16, ByteView data);  // data: padded to whole blocks; 8 bytes
// ISO/IEC 9797-1 padding method 2: 0x80, then zeros to a whole block.
Bytes pad(ByteView data, std::size_t block = 8);
// The data without its method-2 padding; throws FormatError when there is none.
Bytes unpad(ByteView data);

}  // namespace borderpost::station::emrtd::des
