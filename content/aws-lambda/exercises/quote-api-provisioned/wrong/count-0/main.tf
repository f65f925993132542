# Price quotes for the sales team's configurator: a Quarkus service on Java 21 behind an HTTP API.
# Traffic: about 40 requests per second from 08:00 to 18:00 on weekdays, near zero otherwise.

resource "aws_iam_role" "quote_api" {
  name = "quote-api"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "quote_api_logs" {
  role       = aws_iam_role.quote_api.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "quote_api" {
  function_name    = "quote-api"
  role             = aws_iam_role.quote_api.arn
  runtime          = "java21"
  handler          = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
  filename         = "build/quote-api.zip"
  source_code_hash = filebase64sha256("build/quote-api.zip")
  memory_size      = 2048
  timeout          = 10
  publish          = true
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.quote_api.function_name
  function_version = aws_lambda_function.quote_api.version
}

resource "aws_lambda_provisioned_concurrency_config" "live" {
  count = 0
  function_name                     = aws_lambda_alias.live.function_name
  qualifier                         = aws_lambda_alias.live.name
  provisioned_concurrent_executions = 10
}

resource "aws_cloudwatch_log_group" "quote_api" {
  name              = "/aws/lambda/quote-api"
  retention_in_days = 30
}

resource "aws_apigatewayv2_api" "quotes" {
  name          = "quotes"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "quote_api" {
  api_id                 = aws_apigatewayv2_api.quotes.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_alias.live.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "quote" {
  api_id    = aws_apigatewayv2_api.quotes.id
  route_key = "POST /quotes"
  target    = "integrations/${aws_apigatewayv2_integration.quote_api.id}"
}

resource "aws_lambda_permission" "quotes_invoke" {
  statement_id  = "AllowQuotesApi"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.quote_api.function_name
  principal     = "apigateway.amazonaws.com"
  qualifier     = aws_lambda_alias.live.name
  source_arn    = "${aws_apigatewayv2_api.quotes.execution_arn}/*/*"
}
