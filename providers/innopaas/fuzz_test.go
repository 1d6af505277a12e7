package innopaas

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"herald/providers"
)

// FuzzParseAnswer feeds arbitrary statuses, bodies and Retry-After values to the answer parser. It must never
// panic, and must always give either a receipt (for a 2xx answer only) or a classified, bounded error.
func FuzzParseAnswer(f *testing.F) {
	seeds := []string{
		`{"code":0,"message":"success","data":{"messageId":"ipw-1"}}`,
		`{"code":"0","msg":"ok","data":"ipw-2"}`,
		`{"code":0,"data":[{"msgId":3}]}`,
		`{"code":0,"data":{"messageIds":["ipw-3"]}}`,
		`{"code":0,"data":{"messageIds":["a","b"]}}`,
		`{"code":0,"data":[{"recipientNumber":"447911123456","messageId":"a"},{"recipientNumber":"447911123457","code":108}]}`,
		`{"code":0,"data":{"results":[{"phone":"+447911123457","msgId":7}]}}`,
		`{"code":0,"data":{}}`,
		`{"code":0,"data":[[[["deep"]]]]}`,
		`{"data":{"messageId":"x"}}`,
		`{"code":101,"message":"account does not exist"}`,
		`{"code":"108","msg":"phone number format error"}`,
		`{"code":132001}`,
		`{"code":1e400}`,
		`{"code":-0.5,"message":{"nested":true}}`,
		`{"code":null,"data":null}`,
		`{"code":true}`,
		`{"code":"","id":""}`,
		`[]`, `null`, `"text"`, `0`, ``,
		`<html><title>502 Bad Gateway</title></html>`,
		`{"code":0,"data":{"messageId":"ab`,
		"{\"code\":\"\xff\xfe\"}",
	}
	for _, s := range seeds {
		for _, status := range []int{200, 400, 401, 429, 500, 502} {
			f.Add(status, []byte(s), "3")
		}
	}
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		a := providers.Answer{Status: status, Header: http.Header{"Retry-After": {retryAfter}}, Body: body}
		to := []string{"447911123456", "447911123457"}
		if results, err := parseAnswers(a, to); err == nil {
			if len(results) != len(to) || status < 200 || status > 299 {
				t.Fatalf("HTTP %d %q gave %d results for %d recipients", status, body, len(results), len(to))
			}
			for _, r := range results {
				if (r.Err == nil) == (r.Receipt.MessageID == "") || len(r.Receipt.MessageID) > maxIDLen {
					t.Fatalf("result %+v is neither a bounded receipt nor an error", r)
				}
			}
		} else if pe := providers.AsError(err); pe.Code == "" || pe.HTTPStatus != status {
			t.Fatalf("batch error %+v is not classified", pe)
		}
		rc, err := parseAnswer(a)
		if err == nil {
			if status < 200 || status > 299 {
				t.Fatalf("HTTP %d %q gave a receipt %+v", status, body, rc)
			}
			if rc.MessageID == "" || len(rc.MessageID) > maxIDLen || !utf8.ValidString(rc.MessageID) {
				t.Fatalf("message id %q is not a bounded, valid, non-empty text", rc.MessageID)
			}
			return
		}
		var pe *providers.Error
		if !errors.As(err, &pe) {
			t.Fatalf("error %v (%T) is not a *providers.Error", err, err)
		}
		if pe.Class < providers.ClassUnknown || pe.Class > providers.ClassFatal || pe.Code == "" || pe.HTTPStatus != status {
			t.Fatalf("error %+v is not classified", pe)
		}
		if pe.RetryAfter < 0 || len(pe.Code) > maxCodeLen || len(pe.Error()) > 2048 || strings.ContainsAny(pe.Code, " \n\r\t") {
			t.Fatalf("error %+v is not bounded", pe)
		}
	})
}
