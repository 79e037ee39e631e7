-- A client row is ~2.3 KB (ciphertext ~1.1 KB, masked and profile JSON): just over the size at which
-- PostgreSQL starts toasting (~2 KB), so every insert tried to compress the ciphertext, which never
-- compresses, and then the JSON. Rows up to ~4 KB now stay inline and uncompressed.
ALTER TABLE clients SET (toast_tuple_target = 4080);
