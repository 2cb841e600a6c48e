using Steadfast.AspNetCore.Http.Internal;

namespace Steadfast.AspNetCore.Tests.Http;

public sealed class AttemptResponsesTests
{
    [Fact]
    public void Complete_DisposesEveryResponseButTheOneKept()
    {
        var responses = new AttemptResponses();
        var (lost, lostContent) = Response();
        var (kept, keptContent) = Response();
        Assert.True(responses.Add(lost));
        Assert.True(responses.Add(kept));

        responses.Complete(kept);

        Assert.True(lostContent.Disposed);
        Assert.False(keptContent.Disposed);
    }

    [Fact]
    public void Add_AfterComplete_DisposesTheLateResponse()
    {
        var responses = new AttemptResponses();
        responses.Complete(keep: null);
        var (late, content) = Response();

        Assert.False(responses.Add(late));
        Assert.True(content.Disposed);
    }

    private static (HttpResponseMessage Response, TrackedContent Content) Response()
    {
        var content = new TrackedContent();
        return (new HttpResponseMessage { Content = content }, content);
    }

    private sealed class TrackedContent : ByteArrayContent
    {
        public TrackedContent()
            : base([1, 2, 3])
        {
        }

        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
