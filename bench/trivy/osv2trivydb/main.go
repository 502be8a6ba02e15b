// osv2trivydb writes a Trivy vulnerability database (BoltDB, schema 2) from
// OSV archives, so that Trivy can scan offline with the same advisories as
// riskmark. It uses the reference BoltDB implementation (go.etcd.io/bbolt,
// from Debian's golang-github-coreos-bbolt-dev) and the Go standard library
// only; see bench/trivy/build-db.sh for how it is built and run.
//
// Layout written (the one Trivy's library detector reads):
//
//	"<eco>::OSV <Ecosystem>"  (eco = go, pip, cargo)
//	    <package name>          (PyPI names PEP 503-normalized)
//	        <OSV id> -> {"VulnerableVersions": [...], "PatchedVersions": [...]}
//	"vulnerability"  <OSV id> -> {"Title", "Description", "References", ...}
//	"data-source"    "<eco>::OSV <Ecosystem>" -> {"ID", "Name", "URL"}
//
// Version constraints are derived from OSV SEMVER/ECOSYSTEM ranges the way
// the OSV schema defines them (introduced/fixed/last_affected pairs) plus the
// explicit "versions" list; GIT ranges are skipped. Withdrawn records are
// skipped.
//
// Usage: osv2trivydb OUT.db ARCHIVE.zip...
package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

type event struct {
	Introduced   string `json:"introduced"`
	Fixed        string `json:"fixed"`
	LastAffected string `json:"last_affected"`
	Limit        string `json:"limit"`
}

type rng struct {
	Type   string  `json:"type"`
	Events []event `json:"events"`
}

type affected struct {
	Package *struct {
		Ecosystem string `json:"ecosystem"`
		Name      string `json:"name"`
	} `json:"package"`
	Ranges   []rng    `json:"ranges"`
	Versions []string `json:"versions"`
}

type osv struct {
	ID         string     `json:"id"`
	Summary    string     `json:"summary"`
	Details    string     `json:"details"`
	Aliases    []string   `json:"aliases"`
	Published  string     `json:"published"`
	Modified   string     `json:"modified"`
	Withdrawn  string     `json:"withdrawn"`
	Affected   []affected `json:"affected"`
	References []struct {
		URL string `json:"url"`
	} `json:"references"`
}

type advisory struct {
	VulnerableVersions []string `json:",omitempty"`
	PatchedVersions    []string `json:",omitempty"`
}

type vulnerability struct {
	Title            string   `json:",omitempty"`
	Description      string   `json:",omitempty"`
	References       []string `json:",omitempty"`
	PublishedDate    string   `json:",omitempty"`
	LastModifiedDate string   `json:",omitempty"`
}

type dataSource struct {
	ID   string
	Name string
	URL  string
}

var ecos = map[string]string{"Go": "go", "PyPI": "pip", "crates.io": "cargo"}

var pep503 = regexp.MustCompile(`[-_.]+`)

func normalize(eco, name string) string {
	if eco == "pip" {
		return strings.ToLower(pep503.ReplaceAllString(name, "-"))
	}
	return name
}

// constraints turns the OSV ranges and versions of one affected entry into
// Trivy constraint strings (any one matching means vulnerable).
func constraints(eco string, a affected) (vulnerable, patched []string) {
	eq := "="
	if eco == "pip" {
		eq = "=="
	}
	for _, r := range a.Ranges {
		if r.Type != "SEMVER" && r.Type != "ECOSYSTEM" {
			continue
		}
		start, open := "", false
		lower := func() string {
			if start == "" || start == "0" {
				return ""
			}
			return ">=" + start
		}
		join := func(parts ...string) string {
			var out []string
			for _, p := range parts {
				if p != "" {
					out = append(out, p)
				}
			}
			return strings.Join(out, ", ")
		}
		for _, e := range r.Events {
			switch {
			case e.Introduced != "":
				start, open = e.Introduced, true
			case e.Fixed != "":
				vulnerable = append(vulnerable, join(lower(), "<"+e.Fixed))
				patched = append(patched, e.Fixed)
				open = false
			case e.LastAffected != "":
				vulnerable = append(vulnerable, join(lower(), "<="+e.LastAffected))
				open = false
			case e.Limit != "":
				vulnerable = append(vulnerable, join(lower(), "<"+e.Limit))
				open = false
			}
		}
		if open {
			if l := lower(); l != "" {
				vulnerable = append(vulnerable, l)
			} else if eco == "pip" {
				vulnerable = append(vulnerable, ">=0")
			} else {
				// Semver: a bare ">=0" leaves out pre-releases such as Go
				// pseudo-versions (v0.0.0-2021...), which OSV counts as
				// affected when introduced is "0".
				vulnerable = append(vulnerable, ">=0.0.0-0")
			}
		}
	}
	for _, v := range a.Versions {
		vulnerable = append(vulnerable, eq+v)
	}
	return vulnerable, patched
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), data)
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: osv2trivydb OUT.db ARCHIVE.zip...")
		os.Exit(2)
	}
	t0 := time.Now()
	out := os.Args[1]
	_ = os.Remove(out)
	db, err := bolt.Open(out, 0o600, nil)
	must(err)
	defer db.Close()

	// One write transaction per batch of records, not one for the whole
	// input: bbolt keeps every page a transaction dirties in memory until it
	// commits, so one transaction for the 64x scale corpus (bench/scale.py,
	// 522k records) would hold most of the file in memory.
	// Commits are not fsynced one by one (NoSync); the file is synced once at
	// the end. The content is the same as with a single transaction.
	db.NoSync = true
	const batch = 20000
	records, skipped, advisories := 0, 0, 0
	var tx *bolt.Tx
	var vulnBkt, dsBkt *bolt.Bucket
	begin := func() error {
		var err error
		if tx, err = db.Begin(true); err != nil {
			return err
		}
		if vulnBkt, err = tx.CreateBucketIfNotExists([]byte("vulnerability")); err != nil {
			return err
		}
		dsBkt, err = tx.CreateBucketIfNotExists([]byte("data-source"))
		return err
	}
	must(func() error {
		if err := begin(); err != nil {
			return err
		}
		for _, path := range os.Args[2:] {
			zr, err := zip.OpenReader(path)
			if err != nil {
				return err
			}
			for _, f := range zr.File {
				if !strings.HasSuffix(f.Name, ".json") {
					continue
				}
				rc, err := f.Open()
				if err != nil {
					return err
				}
				raw, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					return err
				}
				var rec osv
				if err := json.Unmarshal(raw, &rec); err != nil {
					return fmt.Errorf("%s: %s: %w", path, f.Name, err)
				}
				records++
				if records%batch == 0 {
					if err := tx.Commit(); err != nil {
						return err
					}
					if err := begin(); err != nil {
						return err
					}
				}
				if rec.Withdrawn != "" {
					skipped++
					continue
				}
				// Merge all affected entries of one record per package.
				type key struct{ eco, osvEco, name string }
				merged := map[key]*advisory{}
				var order []key
				for _, a := range rec.Affected {
					if a.Package == nil {
						continue
					}
					eco, ok := ecos[a.Package.Ecosystem]
					if !ok {
						continue
					}
					k := key{eco, a.Package.Ecosystem, normalize(eco, a.Package.Name)}
					vuln, patched := constraints(eco, a)
					if len(vuln) == 0 {
						continue
					}
					adv, ok := merged[k]
					if !ok {
						adv = &advisory{}
						merged[k] = adv
						order = append(order, k)
					}
					adv.VulnerableVersions = append(adv.VulnerableVersions, vuln...)
					adv.PatchedVersions = append(adv.PatchedVersions, patched...)
				}
				for _, k := range order {
					src := k.eco + "::OSV " + k.osvEco
					root, err := tx.CreateBucketIfNotExists([]byte(src))
					if err != nil {
						return err
					}
					if err := putJSON(dsBkt, src, dataSource{
						ID: "osv", Name: "OSV " + k.osvEco,
						URL: "https://osv.dev/list?ecosystem=" + k.osvEco,
					}); err != nil {
						return err
					}
					pkg, err := root.CreateBucketIfNotExists([]byte(k.name))
					if err != nil {
						return err
					}
					if err := putJSON(pkg, rec.ID, merged[k]); err != nil {
						return err
					}
					advisories++
				}
				var refs []string
				for _, r := range rec.References {
					refs = append(refs, r.URL)
				}
				if err := putJSON(vulnBkt, rec.ID, vulnerability{
					Title: rec.Summary, Description: rec.Details, References: refs,
					PublishedDate: rec.Published, LastModifiedDate: rec.Modified,
				}); err != nil {
					return err
				}
			}
			zr.Close()
		}
		return tx.Commit()
	}())
	must(db.Sync())
	fmt.Printf("%d OSV records (%d withdrawn, skipped), %d package advisories, %.2f s\n",
		records, skipped, advisories, time.Since(t0).Seconds())
}
