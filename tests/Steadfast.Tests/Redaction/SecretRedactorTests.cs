namespace Steadfast.Tests.Redaction;

/// <summary>
/// The redactor against a corpus of hostile strings (every secret must be gone) and of ordinary text (every word must
/// stay): both sides of each pattern.
/// </summary>
public class SecretRedactorTests
{
    /// <summary>A text that holds a secret, and the secret (or the part of it that must not survive).</summary>
    public static TheoryData<string, string> Hostile => new()
    {
        { "password='hunter2'", "hunter2" },
        { "password=\"correct horse battery\"", "horse battery" },
        { "login failed: {\"password\": \"s3cr3t!\"}", "s3cr3t!" },
        { "{\"user\":\"bob\",\"password\":\"p@ss,word\"}", "p@ss" },
        { "config secret: 'tops3cret'", "tops3cret" },
        { "client_secret=abcDEF123&grant_type=client_credentials", "abcDEF123" },
        { "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI" },
        { "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE" },
        { "cannot reach https://user:pass1234@db.example.com/x", "pass1234" },
        { "postgres://admin:Sup3rS3cret@10.0.0.5:5432/app refused", "Sup3rS3cret" },
        { "mongodb+srv://root:p@ss@cluster0.mongodb.net/db", "p@ss" },
        { "Cookie: sid=abc123; theme=dark", "abc123" },
        { "Set-Cookie: session=xyz789; HttpOnly; Secure", "xyz789" },
        { "sessionid=q1w2e3r4 expired", "q1w2e3r4" },
        { "PHPSESSID=deadbeef42", "deadbeef42" },
        { "JSESSIONID=ABCDEF0123456789", "ABCDEF0123456789" },
        { "401 with Authorization: Bearer abc.def.ghi", "abc.def.ghi" },
        { "sent Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "eyJzdWIiOiIxIn0" },
        { "HttpRequestException: upstream said token=SECRET456 and eyJhbGciOiJIUzI1NiIs...", "SECRET456" },
        { "HttpRequestException: upstream said token=SECRET456 and eyJhbGciOiJIUzI1NiIs...", "eyJhbGciOiJIUzI1NiIs" },
        { "Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA" },
        { "Proxy-Authorization: Basic Zm9vOmJhcg==", "Zm9vOmJhcg" },
        { "header was Bearer opaqueToken-9f8e7d", "opaqueToken-9f8e7d" },
        { "api_key=sk-live-1234567890", "sk-live-1234567890" },
        { "X-Api-Key: 9f8e7d6c5b4a", "9f8e7d6c5b4a" },
        { "GET /v1?access_token=ya29.a0AfH6SMB&scope=email", "ya29.a0AfH6SMB" },
        { "refresh_token: \"1//0gAbCdEf\"", "1//0gAbCdEf" },
        { "rejected key sk-proj-AbCdEfGhIjKlMnOpQrStUv", "AbCdEfGhIjKlMnOpQrStUv" },
        { "push with ghp_1234567890abcdefghijABCDEFGHIJ123456 denied", "ghp_1234567890abcdefghij" },
        { "slack xoxb-123456789012-abcdefghij failed", "123456789012-abcdefghij" },
        { "credentials AKIAIOSFODNN7EXAMPLE are invalid", "AKIAIOSFODNN7EXAMPLE" },
        { "maps error for AIzaSyA-1234567890abcdefghijklmnopqrstu", "1234567890abcdefghijklmnopqrstu" },
        { "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq\n-----END RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA7bq" },
        { "Server=db;User Id=sa;Password=Pa55w0rd;Encrypt=true", "Pa55w0rd" },
        { "pwd=letmein99", "letmein99" },
        { "DB_PASSWORD=correcthorse", "correcthorse" },
        { "passphrase: \"open sesame\"", "sesame" },
        { "response {\\\"password\\\": \\\"escaped1\\\"}", "escaped1" },
        { "private_key = 'MIIBVwIBADANBg'", "MIIBVwIBADANBg" },
        { "DefaultEndpointsProtocol=https;AccountKey=Zm9vYmFyYmF6cXV4==;EndpointSuffix=core.windows.net", "Zm9vYmFyYmF6cXV4" },
        { "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=abc123def456=", "abc123def456" },
        { "https://acct.blob.core.windows.net/c/b?sv=2020-08-04&sig=AbCdEf%2B123", "AbCdEf%2B123" },
        { "credentials=alice:wonderland", "wonderland" },
        { "password => 'ruby-style'", "ruby-style" },
        { "{\"apiKey\":\"k-123456\"}", "k-123456" },
        { "auth=Zx9Yy8", "Zx9Yy8" },
        { "cut short: token='unterminated secret", "unterminated" },
        { "npm_abcdefghijklmnopqrstuvwxyz0123456789 revoked", "abcdefghijklmnopqrstuvwxyz0123456789" },
        { "Authorization=Bearer opaque-token-value", "opaque-token-value" },
        { "Signature=3a4b5c6d7e8f", "3a4b5c6d7e8f" },
        { "gitlab glpat-abcdefghij1234567890 expired", "abcdefghij1234567890" },
        { "PASSWORD: Hunter2", "Hunter2" },
        { "twilio sid=AC1234567890", "AC1234567890" },
    };

    /// <summary>Ordinary text: nothing in it is a secret, and all of it must stay readable.</summary>
    public static TheoryData<string> Ordinary =>
    [
        "tokens per second",
        "password policy",
        "The password policy requires 12 characters",
        "max_tokens=4096 exceeded the model's limit",
        "prompt_tokens: 120, completion_tokens: 80",
        "tokenizer: cl100k_base",
        "Connection refused (localhost:5432)",
        "Bearer token missing",
        "Basic authentication failed.",
        "author=alice",
        "secretary: Ms. Smith",
        "HTTP 401 Unauthorized from GET https://api.example.com/v1/users",
        "Timeout after 30 s calling https://api.example.com:8443/quote?symbol=MSFT&limit=5",
        "user bob@example.com not found",
        "key not found: 'user-42'",
        "The operation timed out after 00:00:30",
        "Invalid token",
        "design=compact; signal=strong",
        "inside=3",
        "task-1234567890abcdefghijk finished",
        "cloned git@github.com:org/repo.git",
        "authentication: required",
        "Retry-After: 30",
        "Zone Asia/Tokyo is ahead",
        "the key metric is the p99 latency",
        "passed=12 failed=0 bypass=off",
        "SQLite Error 5: 'database is locked'",
        "System.TimeoutException: The operation has timed out.",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void RedactText_HostileString_LosesItsSecretAndKeepsTheMarker(string text, string secret)
    {
        var redacted = SecretRedactor.RedactText(text);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.RedactedValue, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void RedactText_AppliedTwice_ChangesNothingMore(string text, string secret)
    {
        var once = SecretRedactor.RedactText(text);

        Assert.Equal(once, SecretRedactor.RedactText(once));
        Assert.DoesNotContain(secret, once, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ordinary))]
    public void RedactText_OrdinaryText_StaysExactlyAsItWas(string text)
    {
        Assert.Equal(text, SecretRedactor.RedactText(text));
    }

    [Fact]
    public void Corpus_IsLargeEnoughToMeanSomething()
    {
        Assert.True(Hostile.Count >= 40, $"{Hostile.Count} hostile strings");
        Assert.True(Ordinary.Count >= 20, $"{Ordinary.Count} ordinary strings");
    }

    [Theory]
    [InlineData("password='hunter2'", "password='[REDACTED]'")]
    [InlineData("{\"password\": \"x\"}", "{\"password\": \"[REDACTED]\"}")]
    [InlineData("https://user:pass@host/path", "https://[REDACTED]@host/path")]
    [InlineData("Cookie: sid=x; b=y", "Cookie: [REDACTED]")]
    [InlineData("Authorization: Bearer abc123", "Authorization: Bearer [REDACTED]")]
    [InlineData("token=abc123; user=bob", "token=[REDACTED]; user=bob")]
    public void RedactText_KeepsWhatSurroundsTheSecret(string text, string expected)
    {
        Assert.Equal(expected, SecretRedactor.RedactText(text));
    }

    [Fact]
    public void RedactText_LongText_IsCutAfterRedaction()
    {
        var secret = "token=" + new string('s', 5000);

        var redacted = SecretRedactor.RedactText(new string('a', 100) + " " + secret);

        Assert.Equal(100 + 1 + "token=[REDACTED]".Length, redacted.Length);
        Assert.Equal(SecretRedactor.MaxValueLength, SecretRedactor.RedactText(new string('a', 10_000)).Length);
    }

    [Fact]
    public void RedactText_HostileInput_StaysFast()
    {
        // Long identifiers full of key words and separators: the patterns are bounded, so this is linear work.
        var hostile = string.Concat(Enumerable.Repeat("tokenpasswordsecret_", 400)) + string.Concat(Enumerable.Repeat("password=", 400));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            SecretRedactor.RedactText(hostile);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"20 redactions took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("Password")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("X-Api-Key")]
    [InlineData("AccountKey")]
    [InlineData("passphrase")]
    [InlineData("PHPSESSID")]
    public void IsSecretKey_SecretNames_True(string key) => Assert.True(SecretRedactor.IsSecretKey(key));

    [Theory]
    [InlineData("author")]
    [InlineData("endpoint")]
    [InlineData("operation")]
    public void IsSecretKey_OrdinaryNames_False(string key) => Assert.False(SecretRedactor.IsSecretKey(key));
}
