# Regenerates the detector vectors in this folder (seeded, so the output is stable):
#   python3 generate_vectors.py
# Token shapes follow each provider's documented format; every value is random, never a real key.
import random, string, base64, json, os
R = random.Random(20261122)
A = string.ascii_letters + string.digits
def rs(n, alpha=A): return ''.join(R.choice(alpha) for _ in range(n))
HEX='0123456789abcdef'
B32='ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
def m(s): return '⟦'+s+'⟧'
cases = {}
def add(f, t, text): cases.setdefault(f, []).append((t, text))

# ---- credentials.txt
F='credentials.txt'
for p in ['AKIA','ASIA','ABIA','ACCA']:
    k=p+rs(16,B32)
    add(F,'aws-access-key', f'aws_access_key_id = {m(k)}')
add(F,'aws-access-key', f'export AWS_ACCESS_KEY_ID="{m("AKIA"+rs(16,B32))}"')
add(F,'aws-access-key', f'{{"AccessKeyId": "{m("ASIA"+rs(16,B32))}", "Expiration": "2026-01-01T00:00:00Z"}}')
add(F,'none','aws_access_key_id = AKIAIOSFODNN7EXAMPLE')
add(F,'none','id=AKIA'+rs(15,B32)+' (one char short)')
add(F,'none','id=XAKIA'+rs(16,B32)+'Q inside a longer word')
sk=rs(40,string.ascii_letters+string.digits+'/+')
add(F,'aws-secret-key', f'aws_secret_access_key = {m(rs(40,string.ascii_letters+string.digits+"/+"))}')
add(F,'aws-secret-key', f'AWS_SECRET_ACCESS_KEY="{m(rs(40,string.ascii_letters+string.digits+"/+"))}"')
add(F,'aws-secret-key', f'  secretAccessKey: {m(rs(40,string.ascii_letters+string.digits+"/+"))}')
add(F,'none','aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
add(F,'none','aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}')
tok='IQoJb3JpZ2luX2Vj'+rs(300,string.ascii_letters+string.digits+'/+')+'=='
add(F,'aws-session-token', f'aws_session_token = {m(tok)}')
add(F,'aws-session-token', f'"SessionToken": "{m("FwoGZXIvYXdzE"+rs(200,string.ascii_letters+string.digits+"/+"))}"')
for p in ['ghp_','gho_','ghu_','ghs_','ghr_']:
    add(F,'github-token', f'token: {m(p+rs(36))}')
add(F,'github-token', f'git clone https://x-access-token:{m("ghs_"+rs(36))}@github.com/acme/app.git')
add(F,'github-token', f'GITHUB_TOKEN={m("github_pat_"+rs(22)+"_"+rs(59))}')
add(F,'none','the prefix ghp_'+rs(30)+' is truncated')
add(F,'none','see ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx in the docs')
add(F,'gitlab-token', f'PRIVATE-TOKEN: {m("glpat-"+rs(20,A+"_-"))}')
add(F,'gitlab-token', f'export CI_TOKEN={m("glptt-"+rs(40,HEX))}')
add(F,'gitlab-token', f'runner token {m("glrt-"+rs(20))}')
add(F,'gitlab-token', f'registration {m("GR1348941"+rs(20))}')
add(F,'none','glpat-'+rs(12)+' too short')
add(F,'slack-token', f'SLACK_BOT_TOKEN={m("xoxb-"+rs(11,string.digits)+"-"+rs(12,string.digits)+"-"+rs(24))}')
add(F,'slack-token', f'"token": "{m("xoxp-"+rs(11,string.digits)+"-"+rs(11,string.digits)+"-"+rs(12,string.digits)+"-"+rs(32,HEX))}"')
add(F,'slack-token', f'app token {m("xapp-1-A"+rs(10,string.ascii_uppercase+string.digits)+"-"+rs(13,string.digits)+"-"+rs(64,HEX))}')
add(F,'slack-webhook', f'curl -X POST https://{m("hooks.slack.com/services/T"+rs(8,string.ascii_uppercase+string.digits)+"/B"+rs(10,string.ascii_uppercase+string.digits)+"/"+rs(24))}')
add(F,'none','xoxb-not-a-token')
add(F,'none','Post to hooks.slack.com/services/ from the settings page')
add(F,'stripe-key', f'Stripe.apiKey = "{m("sk_live_"+rs(24))}";')
add(F,'stripe-key', f'STRIPE_SECRET={m("rk_test_"+rs(99))}')
add(F,'none','sk_live_'+rs(10)+' too short')
add(F,'none','publishable pk_live_'+rs(24)+' is public')
add(F,'openai-key', f'OPENAI_API_KEY={m("sk-proj-"+rs(74,A+"_-")+"T3BlbkFJ"+rs(74,A+"_-"))}')
add(F,'openai-key', f'openai.api_key = "{m("sk-"+rs(20)+"T3BlbkFJ"+rs(20))}"')
add(F,'openai-key', f'key {m("sk-svcacct-"+rs(60,A+"_-"))}')
add(F,'none','sk-'+rs(10)+' is not a key')
add(F,'anthropic-key', f'ANTHROPIC_API_KEY={m("sk-ant-api03-"+rs(93,A+"_-")+"AA")}')
add(F,'anthropic-key', f'x-api-key: {m("sk-ant-admin01-"+rs(93,A+"_-")+"AA")}')
add(F,'none','sk-ant-api03-short')
add(F,'gcp-api-key', f'const firebaseConfig = {{ apiKey: "{m("AIza"+rs(35,A+"_-"))}" }};')
add(F,'gcp-api-key', f'https://maps.googleapis.com/maps/api/js?key={m("AIza"+rs(35,A+"_-"))}&callback=init')
add(F,'none','AIza'+rs(20)+' truncated')
add(F,'gcp-service-account-key', f'  "private_key_id": "{m(rs(40,HEX))}",')
add(F,'azure-storage-key', f'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={m(rs(86,A+"+/")+"==")};EndpointSuffix=core.windows.net')
add(F,'azure-storage-key', f'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey={m(rs(43,A+"+/")+"=")}')
add(F,'azure-client-secret', f'AZURE_CLIENT_SECRET={m(rs(3,A)+"8Q~"+rs(34,A+"_~.-"))}')
add(F,'azure-sas-token', f'https://acme.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&sp=r&se=2026-12-31&{m("sig="+rs(43,A)+"%3D")}'.replace('⟦sig=','sig=⟦'))
add(F,'twilio-api-key', f'TWILIO_API_KEY={m("SK"+rs(32,HEX))}')
add(F,'none','SK'+'0'*32)
add(F,'sendgrid-api-key', f'SENDGRID_API_KEY={m("SG."+rs(22,A+"_-")+"."+rs(43,A+"_-"))}')
add(F,'none','SG.short.token')
add(F,'mailgun-api-key', f'api: {m("key-"+rs(32,HEX))}')
add(F,'mailgun-api-key', f'MAILGUN_PUBLIC={m("pubkey-"+rs(32,HEX))}')
add(F,'none','monkey-'+rs(32,HEX))
add(F,'npm-token', f'//registry.npmjs.org/:_authToken={m("npm_"+rs(36))}')
add(F,'none','npm_'+rs(20))
add(F,'pypi-token', f'password = {m("pypi-AgEIcHlwaS5vcmc"+rs(120,A+"_-"))}')
add(F,'dockerhub-token', f'echo {m("dckr_pat_"+rs(27,A+"_-"))} | docker login -u acme --password-stdin')
add(F,'heroku-api-key', f'HEROKU_API_KEY={m("%08x-%04x-%04x-%04x-%012x"%(R.getrandbits(32),R.getrandbits(16),R.getrandbits(16),R.getrandbits(16),R.getrandbits(48)))}')
add(F,'heroku-api-key', f'token {m("HRKU-AA"+rs(58,A+"_-"))}')
add(F,'none','request id 1b4e28ba-2fa1-11d2-883f-0016d3cca427 (a UUID without context)')
add(F,'shopify-token', f'X-Shopify-Access-Token: {m("shpat_"+rs(32,HEX))}')
add(F,'huggingface-token', f'HF_TOKEN={m("hf_"+rs(34,string.ascii_letters))}')
add(F,'none','hf_'+rs(10,string.ascii_letters))
add(F,'databricks-token', f'DATABRICKS_TOKEN={m("dapi"+rs(32,HEX))}')
add(F,'digitalocean-token', f'doctl auth init -t {m("dop_v1_"+rs(64,HEX))}')
add(F,'discord-webhook', f'https://{m("discord.com/api/webhooks/"+rs(18,string.digits)+"/"+rs(68,A+"_-"))}')
add(F,'discord-token', f'DISCORD_BOT_TOKEN={m("M"+rs(25,A)+"."+rs(6,A)+"."+rs(38,A+"_-"))}')
add(F,'telegram-bot-token', f'TELEGRAM_TOKEN={m(rs(10,string.digits)+":AA"+rs(33,A+"_-"))}')
add(F,'none','time 12345678:AAshort')
def b64u(b): return base64.urlsafe_b64encode(b).decode().rstrip('=')
jwt=b64u(json.dumps({"alg":"HS256","typ":"JWT"}).encode())+'.'+b64u(json.dumps({"sub":rs(8),"iat":1700000000}).encode())+'.'+b64u(bytes(R.getrandbits(8) for _ in range(32)))
add(F,'jwt', f'cookie: session={m(jwt)}; Path=/')
add(F,'none','eyJhbGciOiJIUzI1NiJ9 alone is a header, not a token')
fakejwt='eyJ'+rs(20)+'.eyJ'+rs(20)+'.'+rs(30)
add(F,'none',f'{fakejwt} does not decode to a JWT header')
add(F,'age-secret-key', f'{m("AGE-SECRET-KEY-1"+rs(58,"QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"))}')
add(F,'url-password', f'DATABASE_URL=postgres://app:{m(rs(16))}@db.internal:5432/app')
add(F,'url-password', f'mongodb+srv://admin:{m(rs(12)+"%21")}@cluster0.mongodb.net/test')
add(F,'url-password', f'redis://default:{m(rs(20))}@cache:6379/0')
add(F,'none','postgres://app:${DB_PASSWORD}@db:5432/app')
add(F,'none','postgres://app:password@localhost/app (documentation placeholder)')
add(F,'none','https://user@example.org/path has no password')
add(F,'none','see https://docs.example.org:8443/guide')
add(F,'connection-string-password', f'Server=tcp:acme.database.windows.net,1433;Database=app;User ID=app;Password={m(rs(14))};Encrypt=true')
add(F,'connection-string-password', f'jdbc:sqlserver://db:1433;databaseName=app;user=sa;password={m(rs(12))}')
add(F,'connection-string-password', f'host=db port=5432 dbname=app user=app password={m(rs(10))} sslmode=require')
add(F,'none','Server=db;Database=app;Password={0};')
add(F,'authorization-header', f'curl -H "Authorization: Bearer {m(rs(40,A+"-._~"))}" https://api.example.com')
add(F,'authorization-header', f'Authorization: Basic {m(base64.b64encode(("admin:"+rs(12)).encode()).decode())}')
add(F,'authorization-header', f'> authorization: token {m(rs(40,HEX))}')
add(F,'authorization-header', f'X-Api-Key: {m(rs(32))}')
add(F,'none','Authorization: Bearer $TOKEN')
add(F,'none','Authorization: Bearer <your-token>')
add(F,'none','The bearer token is read from the environment.')
add(F,'generic-secret', f'DB_PASSWORD={m(rs(6)+"9!"+rs(4))}')
add(F,'generic-secret', f'String password = "{m("Tr0ub4dor&"+rs(3))}";')
add(F,'generic-secret', f'  client_secret: "{m(rs(32))}"')
add(F,'generic-secret', f'"apiKey": "{m(rs(24))}",')
add(F,'generic-secret', f'spring.datasource.password={m("S3cure-"+rs(8)+"#")}')
add(F,'generic-secret', f'SECRET_KEY = \'{m(rs(50,A+"!@#$%^&*(-_=+)"))}\'')
add(F,'generic-secret', f'export API_TOKEN={m(rs(40,HEX))}')
for v in ['changeme','${DB_PASSWORD}','<your-key>','xxx','example','{{ .Values.password }}','********','secret','$SECRET','"%(password)s"','null','your-api-key-here','os.environ["TOKEN"]']:
    add(F,'none',f'password = {v}')
    add(F,'none',f'api_key: "{v}"')
add(F,'none','String tokenType = "Bearer";')
add(F,'none','private static final String PASSWORD_PROP = "javax.net.ssl.keyStorePassword";')
add(F,'none','if (password == null) throw new IllegalArgumentException("password");')
add(F,'none','for (String token : tokens) {')
add(F,'none','secret = computeSecret(seed, 42);')
add(F,'none','token_url: https://oauth2.googleapis.com/token')
add(F,'none','password_file = /run/secrets/db_password.txt')
add(F,'none','log.info("Invalid password for user {}", user);')
add(F,'none','TOKEN_EXPIRY_SECONDS=3600')

# ---- keys.txt (multi-line, \n escapes)
F='keys.txt'
def pem(label, n=20):
    body='\\n'.join(rs(64,A+'+/') for _ in range(n))
    return f'-----BEGIN {label}-----\\n{body}\\n-----END {label}-----'
for lab,t in [('RSA PRIVATE KEY','private-key'),('PRIVATE KEY','private-key'),('EC PRIVATE KEY','private-key'),('ENCRYPTED PRIVATE KEY','private-key'),('OPENSSH PRIVATE KEY','private-key'),('DSA PRIVATE KEY','private-key'),('PGP PRIVATE KEY BLOCK','pgp-private-key')]:
    add(F,t,f'key:\\n{m(pem(lab))}\\nend')
add(F,'private-key', '{"type": "service_account", "private_key": "'+m(pem('PRIVATE KEY',5))+'\\\\n"}')
add(F,'private-key', 'truncated paste:\\n'+m('-----BEGIN RSA PRIVATE KEY-----\\n'+rs(64,A)+'\\n'+rs(64,A)))
add(F,'none', '-----BEGIN CERTIFICATE-----\\n'+rs(64,A)+'\\n-----END CERTIFICATE-----')
add(F,'none', '-----BEGIN PUBLIC KEY-----\\n'+rs(64,A)+'\\n-----END PUBLIC KEY-----')
add(F,'none', '-----BEGIN PGP PUBLIC KEY BLOCK-----\\n'+rs(64,A)+'\\n-----END PGP PUBLIC KEY BLOCK-----')
add(F,'none', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI'+rs(43)+' user@host')

# ---- pii.txt
F='pii.txt'
def luhn_complete(prefix, n):
    s = prefix + ''.join(R.choice(string.digits) for _ in range(n-len(prefix)-1))
    for d in string.digits:
        c = s+d
        tot=0
        for i,ch in enumerate(reversed(c)):
            x=int(ch)
            if i%2==1:
                x*=2
                if x>9: x-=9
            tot+=x
        if tot%10==0: return c
def bad_luhn(c):
    last=(int(c[-1])+1)%10
    return c[:-1]+str(last)
def grp(c, sizes, sep):
    out=[];i=0
    for s in sizes: out.append(c[i:i+s]); i+=s
    return sep.join(out)
visa=luhn_complete('4',16); mc=luhn_complete('53',16); amex=luhn_complete('37',15); disc=luhn_complete('6011',16); mc2=luhn_complete('2221',16); jcb=luhn_complete('3530',16)
add(F,'credit-card', f'card={m(visa)}')
add(F,'credit-card', f'Card: {m(grp(mc,[4,4,4,4]," "))} exp 12/29')
add(F,'credit-card', f'{m(grp(amex,[4,6,5],"-"))}')
add(F,'credit-card', f'"pan": "{m(disc)}"')
add(F,'credit-card', f'charged {m(grp(mc2,[4,4,4,4],"-"))} ok')
add(F,'credit-card', f'jcb {m(jcb)}')
add(F,'none', f'card={bad_luhn(visa)} (bad checksum)')
add(F,'none', f'order {luhn_complete("9",16)} (no card network prefix)')
add(F,'none', f'timestamp 1700000000123456 ns')
add(F,'none', f'{grp(visa,[4,4,4,4]," -")}')
add(F,'none', f'version {visa[:4]}.{visa[4:8]}.{visa[8:12]}.{visa[12:]}')
add(F,'none', f'long id {visa}{R.randint(100,999)}')
add(F,'none', 'const long MAX = 4503599627370496L;')
add(F,'email', f'contact {m("jane.doe+ops@corp.example.com")} for access')
add(F,'email', f'From: {m("a_b@mail-1.acme.io")}')
add(F,'none', 'import @angular/core; @Override public void run()')
add(F,'none', 'user@localhost has no domain dot')
add(F,'ip-address', f'connect to {m("10.12.0.254")}:5432')
add(F,'ip-address', f'Client {m("192.168.1.7")} closed')
add(F,'ip-address', f'listen [{m("2001:db8:85a3::8a2e:370:7334")}]:443')
add(F,'ip-address', f'from {m("fe80::1")} via eth0')
add(F,'ip-address', f'full {m("2001:0db8:0000:0000:0000:ff00:0042:8329")}')
add(F,'ip-address', f'mapped {m("::ffff:192.0.2.128")}')
add(F,'none', 'version 1.2.3 and 256.1.1.1 and 1.2.3.4.5')
add(F,'none', 'at 12:30:45 the MAC 00:1a:2b:3c:4d:5e was seen')
add(F,'none', 'String::valueOf and std::vector and a::b')
def iban(cc, length):
    bban=''.join(R.choice(string.digits) for _ in range(length-4))
    num=''.join(str(int(ch,36)) for ch in bban+cc+'00')
    chk=98-int(num)%97
    return f'{cc}{chk:02d}{bban}'
de=iban('DE',22); gb_bban='NWBK'+''.join(R.choice(string.digits) for _ in range(14))
num=''.join(str(int(ch,36)) for ch in gb_bban+'GB00'); gb=f'GB{98-int(num)%97:02d}{gb_bban}'
fr=iban('FR',27); nl_b='ABNA'+''.join(R.choice(string.digits) for _ in range(10)); num=''.join(str(int(ch,36)) for ch in nl_b+'NL00'); nl=f'NL{98-int(num)%97:02d}{nl_b}'
add(F,'iban', f'IBAN: {m(de)}')
add(F,'iban', f'pay to {m(" ".join(gb[i:i+4] for i in range(0,len(gb),4)))}.')
add(F,'iban', f'{m(fr)}')
add(F,'iban', f'iban={m(nl)}')
bad=de[:4]+str((int(de[4])+1)%10)+de[5:]
add(F,'none', f'IBAN: {bad} (bad check digits)')
add(F,'none', f'IBAN: {de[:-1]} (short)')
add(F,'none', 'ZZ12345678901234567890 is no country')

# ---- nearmiss.txt: things that must never be redacted with default config
F='nearmiss.txt'
for _ in range(3):
    add(F,'none', f'commit {rs(40,HEX)} Merge branch main')
for _ in range(3):
    u='%08x-%04x-4%03x-a%03x-%012x'%(R.getrandbits(32),R.getrandbits(16),R.getrandbits(12),R.getrandbits(12),R.getrandbits(48))
    add(F,'none', f'id: {u}')
add(F,'none', 'integrity sha512-'+base64.b64encode(bytes(R.getrandbits(8) for _ in range(64))).decode())
add(F,'none', '"resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz", "integrity": "sha1-'+base64.b64encode(bytes(R.getrandbits(8) for _ in range(20))).decode()+'"')
add(F,'none', f'checksum sha256:{rs(64,HEX)}')
add(F,'none', f'h1:{base64.b64encode(bytes(R.getrandbits(8) for _ in range(32))).decode()}')
add(F,'none', f'github.com/acme/lib v1.2.3 h1:{base64.b64encode(bytes(R.getrandbits(8) for _ in range(32))).decode()}')
img=base64.b64encode(b'\x89PNG\r\n\x1a\n'+bytes(R.getrandbits(8) for _ in range(600))).decode()
add(F,'none', f'<img src="data:image/png;base64,{img}">')
add(F,'none', 'public static String getToken(String password) { return tokenizer.next(); }')
add(F,'none', 'Authorization header missing; set AIRLOCK_TOKEN')
add(F,'none', 'md5 d41d8cd98f00b204e9800998ecf8427e')
add(F,'none', '  "version": "4.17.21"')
add(F,'none', f'docker pull nginx@sha256:{rs(64,HEX)}')
add(F,'none', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ'+rs(300,A+'+/')+' ops@bastion')

out=os.path.dirname(os.path.abspath(__file__))+'/'
for f,cs in cases.items():
    with open(out+f,'w') as fh:
        fh.write('# One case per line: <expected type or none> TAB <text>. \\n is a line break, \\t a tab.\n')
        fh.write('# The span between ⟦ and ⟧ must be exactly what is redacted. Every value is synthetic.\n')
        for t,text in cs:
            assert '\n' not in text and '\t' not in text
            fh.write(f'{t}\t{text}\n')
print({f:len(c) for f,c in cases.items()})
