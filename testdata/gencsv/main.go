// Command gencsv writes a large, realistic recipients CSV for benchmarks: numbers of 25 countries in the forms
// people type them (+CC, 00CC, digits with the country code, spaced), Unicode names, a few empty discounts, and
// the rare bad row a real export has.
//
//	go run ./testdata/gencsv -rows 1000000 -out /tmp/1m.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
)

// bases are valid mobile numbers (E.164 without '+'); the last six digits are randomised.
var bases = []string{"447400123593", "4915123456926", "33612345815", "34612345952", "393123456926",
	"918123456926", "5511961234704", "522221234704", "12015550260", "2348021234704", "27711234841",
	"819012345815", "8613123456926", "966512345815", "971501234704", "62812345815", "905012345815",
	"48512345815", "254712123593", "79123456926", "306912345815", "972502345815", "380501234704",
	"201001234704", "923012345815"}

var names = []string{"Olivia", "Lukas", "Chloé", "Javier", "Giulia", "Priya", "Ana", "Sofía", "Emily", "Chinedu",
	"Thandiwe", "陽翔", "伟", "فاطمة", "Ahmed", "Siti", "Elif", "Zofia", "Wanjiru", "Дмитрий", "Eleni", "Noa"}

func main() {
	rows := flag.Int("rows", 1000000, "data rows to write")
	out := flag.String("out", "recipients.csv", "file to write")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencsv:", err)
		os.Exit(2)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(*seed, *seed))
	fmt.Fprintln(w, "first_name,last_name,phone,code,discount,expires,city")
	for i := 0; i < *rows; i++ {
		base := bases[rng.IntN(len(bases))]
		num := fmt.Sprintf("%s%06d", base[:len(base)-6], rng.IntN(1000000))
		var phone string
		switch rng.IntN(4) {
		case 0:
			phone = "+" + num
		case 1:
			phone = "00" + num
		case 2:
			phone = num
		default:
			phone = "+" + num[:2] + " " + num[2:6] + " " + num[6:]
		}
		if rng.IntN(1000) == 0 {
			phone = "4.47911E+11" // the spreadsheet damage a real export has
		}
		discount := fmt.Sprintf("%d%%", 5*(1+rng.IntN(6)))
		if rng.IntN(3) == 0 {
			discount = ""
		}
		fmt.Fprintf(w, "%s,Row%d,%s,SPRING-%06d,%s,30 April,City%d\n", names[rng.IntN(len(names))], i, phone, i, discount, rng.IntN(500))
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "gencsv:", err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "gencsv:", err)
		os.Exit(1)
	}
}
