# Invoice logo thumbnails: customers upload a logo for their invoices, the function writes a
# 200 px thumbnail for the PDF renderer.

locals {
  buckets = {
    logos      = "acme-billing-customer-logos"
    thumbnails = "acme-billing-logo-thumbnails"
  }
}

resource "aws_s3_bucket" "this" {
  for_each = local.buckets
  bucket   = each.value
}

# Output goes to its own bucket: nothing the function writes can trigger it again.


resource "aws_sqs_queue" "thumbnailer_failures" {
  name                      = "logo-thumbnailer-failures"
  message_retention_seconds = 1209600
}

data "aws_iam_policy_document" "thumbnailer" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.this["logos"].arn}/*"]
  }
  statement {
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this["thumbnails"].arn}/*"]
  }
  statement {
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.thumbnailer_failures.arn]
  }
}

resource "aws_iam_role" "thumbnailer" {
  name = "logo-thumbnailer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "thumbnailer" {
  role   = aws_iam_role.thumbnailer.id
  policy = data.aws_iam_policy_document.thumbnailer.json
}

resource "aws_iam_role_policy_attachment" "thumbnailer_logs" {
  role       = aws_iam_role.thumbnailer.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "thumbnailer" {
  function_name    = "logo-thumbnailer"
  role             = aws_iam_role.thumbnailer.arn
  runtime          = "python3.13"
  handler          = "thumbnailer.handler"
  filename         = "build/logo-thumbnailer.zip"
  source_code_hash = filebase64sha256("build/logo-thumbnailer.zip")
  memory_size      = 1769
  timeout          = 30

  environment {
    variables = {
      OUTPUT_BUCKET = aws_s3_bucket.this["thumbnails"].bucket
    }
  }
}

resource "aws_lambda_function_event_invoke_config" "thumbnailer" {
  function_name                = aws_lambda_function.thumbnailer.function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.thumbnailer_failures.arn
    }
  }
}

resource "aws_lambda_permission" "logos_invoke" {
  statement_id  = "AllowLogoBucket"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.thumbnailer.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.this["logos"].arn
}

resource "aws_s3_bucket_notification" "logos" {
  bucket = aws_s3_bucket.this["logos"].id

  lambda_function {
    lambda_function_arn = aws_lambda_function.thumbnailer.arn
    events              = ["s3:ObjectCreated:*"]
  }

  depends_on = [aws_lambda_permission.logos_invoke]
}

resource "aws_cloudwatch_log_group" "thumbnailer" {
  name              = "/aws/lambda/logo-thumbnailer"
  retention_in_days = 14
}
