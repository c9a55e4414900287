-- wrk script: PATCH one user's displayName (RFC dialect answers 200).
wrk.method = "PATCH"
wrk.headers["Content-Type"] = "application/scim+json"
wrk.headers["Accept"] = "application/json"
wrk.body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Load Test"}]}'
