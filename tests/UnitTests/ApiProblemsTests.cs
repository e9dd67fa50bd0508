using BotStateCluster.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace BotStateCluster.UnitTests;

public sealed class ApiProblemsTests
{
    private static ProblemDetails Customized(int status, Exception? exception = null, string? detail = null)
    {
        var context = new ProblemDetailsContext
        {
            HttpContext = new DefaultHttpContext(),
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Type = "https://tools.ietf.org/html/rfc9110", Detail = detail },
        };
        ApiProblems.Customize(context);
        return context.ProblemDetails;
    }

    [Fact]
    public void EveryKindHasItsOwnStableType()
    {
        Assert.Equal(ProblemKinds.All.Count, ProblemKinds.All.Select(kind => kind.Type).Distinct().Count());
        Assert.All(ProblemKinds.All, kind => Assert.StartsWith("urn:botstate:problem:", kind.Type, StringComparison.Ordinal));
    }

    [Fact]
    public void AFrameworkProblemGetsTheTypeTitleAndDetailOfItsStatus()
    {
        var problem = Customized(StatusCodes.Status415UnsupportedMediaType);

        Assert.Equal("urn:botstate:problem:unsupported-media-type", problem.Type);
        Assert.Contains("application/json", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExceptionNamesItsKindAndKeepsItsDetail()
    {
        var problem = Customized(StatusCodes.Status400BadRequest, new ApiProblemException(ProblemKinds.InvalidUserId, "why"), "why");

        Assert.Equal(ProblemKinds.InvalidUserId.Type, problem.Type);
        Assert.Equal("why", problem.Detail);
    }

    [Fact]
    public void AnInvalidStateIsAnInvalidBody()
    {
        Assert.Equal(ProblemKinds.InvalidBody.Type, Customized(StatusCodes.Status400BadRequest, new StateFormatException("x"), "x").Type);
    }

    [Fact]
    public void AProblemThatAlreadyHasOurTypeIsLeftAlone()
    {
        var context = new ProblemDetailsContext
        {
            HttpContext = new DefaultHttpContext(),
            ProblemDetails = new ProblemDetails { Status = 400, Type = ProblemKinds.InvalidQuery.Type, Title = "Invalid query", Detail = "limit" },
        };

        ApiProblems.Customize(context);

        Assert.Equal(ProblemKinds.InvalidQuery.Type, context.ProblemDetails.Type);
        Assert.Equal("limit", context.ProblemDetails.Detail);
    }
}
