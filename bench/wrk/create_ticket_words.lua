-- POST /api/v1/tickets like create_ticket.lua, with a subject and a description drawn from a
-- Spanish support vocabulary (so a full-text index meets many terms, as with real tickets).
local token = os.getenv("TOKEN")
local org = os.getenv("ORG") or "bench"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
local words = {
  "facturación", "conexión", "error", "servidor", "base", "datos", "usuario", "contraseña",
  "módulo", "reporte", "nómina", "inventario", "pedido", "cliente", "proveedor", "licencia",
  "actualización", "parche", "versión", "consola", "puerto", "certificado", "sesión", "lentitud",
  "bloqueo", "memoria", "disco", "respaldo", "migración", "integración", "servicio", "cola",
  "correo", "impresora", "firma", "electrónica", "token", "tiempo", "espera", "caída", "producción",
  "pruebas", "desarrollo", "ambiente", "registro", "bitácora", "excepción", "timeout", "java",
  "weblogic", "oracle", "tablespace", "índice", "consulta", "cierre", "mensual", "contable",
  "nota", "crédito", "débito", "factura", "electrónica", "dian", "envío", "rechazo", "validación",
}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
local function text(n)
  local t = {}
  for i = 1, n do t[i] = words[math.random(#words)] .. (math.random(7) == 1 and tostring(math.random(999)) or "") end
  return table.concat(t, " ")
end
local n = 0
request = function()
  n = n + 1
  local body = string.format(
    '{"org":"%s","type":"incident","criticality":"%s","channel":"portal","environment":"prod",' ..
    '"subject":"%s","description":"%s"}',
    org, (n % 3 == 0) and "critical" or ((n % 3 == 1) and "important" or "normal"), text(6), text(30))
  return wrk.format(nil, "/api/v1/tickets", nil, body)
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")  -- the RESULT line
