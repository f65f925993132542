resource "aws_iam_role" "lambda" {
  name               = "app"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_sqs_queue" "jobs" {
  name                       = "jobs"
  visibility_timeout_seconds = 120
}

resource "aws_lambda_function" "fn0" {
  function_name = "fn0"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "build/fn0.zip"
  timeout       = 20
  memory_size   = 512

  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.jobs.url
      STAGE     = "prod"
    }
  }
}
resource "aws_lambda_event_source_mapping" "fn0" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.fn0.arn
  batch_size       = 10
}
resource "aws_cloudwatch_log_group" "fn0" {
  name              = "/aws/lambda/${aws_lambda_function.fn0.function_name}"
  retention_in_days = 14
}

resource "aws_lambda_function" "fn1" {
  function_name = "fn1"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "build/fn1.zip"
  timeout       = 20
  memory_size   = 512

  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.jobs.url
      STAGE     = "prod"
    }
  }
}
resource "aws_lambda_event_source_mapping" "fn1" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.fn1.arn
  batch_size       = 10
}
resource "aws_cloudwatch_log_group" "fn1" {
  name              = "/aws/lambda/${aws_lambda_function.fn1.function_name}"
  retention_in_days = 14
}

resource "aws_lambda_function" "fn2" {
  function_name = "fn2"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "build/fn2.zip"
  timeout       = 20
  memory_size   = 512

  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.jobs.url
      STAGE     = "prod"
    }
  }
}
resource "aws_lambda_event_source_mapping" "fn2" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.fn2.arn
  batch_size       = 10
}
resource "aws_cloudwatch_log_group" "fn2" {
  name              = "/aws/lambda/${aws_lambda_function.fn2.function_name}"
  retention_in_days = 14
}

resource "aws_lambda_function" "fn3" {
  function_name = "fn3"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "build/fn3.zip"
  timeout       = 20
  memory_size   = 512

  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.jobs.url
      STAGE     = "prod"
    }
  }
}
resource "aws_lambda_event_source_mapping" "fn3" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.fn3.arn
  batch_size       = 10
}
resource "aws_cloudwatch_log_group" "fn3" {
  name              = "/aws/lambda/${aws_lambda_function.fn3.function_name}"
  retention_in_days = 14
}

resource "aws_lambda_function" "fn4" {
  function_name = "fn4"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "build/fn4.zip"
  timeout       = 20
  memory_size   = 512

  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.jobs.url
      STAGE     = "prod"
    }
  }
}
resource "aws_lambda_event_source_mapping" "fn4" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.fn4.arn
  batch_size       = 10
}
resource "aws_cloudwatch_log_group" "fn4" {
  name              = "/aws/lambda/${aws_lambda_function.fn4.function_name}"
  retention_in_days = 14
}

resource "aws_lambda_function" "fn5" {
  function_name = "fn5"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "build/fn5.zip"
  timeout       = 20
  memory_size   = 512

  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.jobs.url
      STAGE     = "prod"
    }
  }
}
resource "aws_lambda_event_source_mapping" "fn5" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.fn5.arn
  batch_size       = 10
}
resource "aws_cloudwatch_log_group" "fn5" {
  name              = "/aws/lambda/${aws_lambda_function.fn5.function_name}"
  retention_in_days = 14
}

resource "aws_lambda_function" "fn6" {
  function_name = "fn6"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "build/fn6.zip"
  timeout       = 20
  memory_size   = 512

  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.jobs.url
      STAGE     = "prod"
    }
  }
}
resource "aws_lambda_event_source_mapping" "fn6" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.fn6.arn
  batch_size       = 10
}
resource "aws_cloudwatch_log_group" "fn6" {
  name              = "/aws/lambda/${aws_lambda_function.fn6.function_name}"
  retention_in_days = 14
}

resource "aws_lambda_function" "fn7" {
  function_name = "fn7"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "build/fn7.zip"
  timeout       = 20
  memory_size   = 512

  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.jobs.url
      STAGE     = "prod"
    }
  }
}
resource "aws_lambda_event_source_mapping" "fn7" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.fn7.arn
  batch_size       = 10
}
resource "aws_cloudwatch_log_group" "fn7" {
  name              = "/aws/lambda/${aws_lambda_function.fn7.function_name}"
  retention_in_days = 14
}
