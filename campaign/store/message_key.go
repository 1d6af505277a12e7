package store

import (
	"database/sql/driver"
	"fmt"

	"modernc.org/sqlite"
)

// messageKey is the key message_keys indexes a provider's message id by: its 64-bit FNV-1a hash, as SQLite's
// signed integer. The ids are long texts in no order (a wamid has some 60 characters), so every batch of them
// lands all over their index; keyed by a hash, an entry is a quarter of the size and a batch rewrites a third
// of the pages (a million ids in batches of 16,384: 3.8 us an id against 7.0). Two ids may share a key, so a
// lookup always checks the id the row holds. It hashes the id up to any NUL byte, as far as SQLite hands a text
// to the SQL function (messageKeySQL), so that both agree on every id.
func messageKey(id string) int64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id) && id[i] != 0; i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	return int64(h)
}

// messageKeySQL is the name of messageKey in the store's SQL, for the statements that index or match ids within
// the store (a migration, a repair after a crash, callbacks kept aside).
const messageKeySQL = "herald_message_key"

func init() {
	// A pure function, registered once for every connection the driver opens, as a driver registers itself.
	err := sqlite.RegisterDeterministicScalarFunction(messageKeySQL, 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return messageKey(v), nil
			case []byte:
				return messageKey(string(v)), nil
			case nil:
				return nil, nil
			default:
				return nil, fmt.Errorf("%s: a message id is text, not %T", messageKeySQL, v)
			}
		})
	if err != nil {
		panic(fmt.Sprintf("register %s: %v", messageKeySQL, err))
	}
}
